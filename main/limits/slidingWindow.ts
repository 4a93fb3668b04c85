/**
 * A sliding-window counter for rate limits: the window is cut into 60 buckets and one more, so the
 * sum always covers at least the whole window (conservative: it never lets more than `limit` through
 * in any window-long stretch, and may refuse up to one bucket early). O(1) memory per window; no
 * timers: buckets are cleared lazily as the clock moves. Pure apart from its own state; the time is
 * always an argument.
 */

export const BUCKETS = 60

export type SlidingWindow = {
  readonly windowMs: number
  readonly bucketMs: number
  /** BUCKETS + 1 slots, indexed by absolute bucket number modulo their count. */
  readonly slots: Float64Array
  /** Absolute number of the newest bucket seen. */
  head: number
  sum: number
}

export function createSlidingWindow(windowMs: number): SlidingWindow {
  return { windowMs, bucketMs: windowMs / BUCKETS, slots: new Float64Array(BUCKETS + 1), head: 0, sum: 0 }
}

/** Moves the window to `now`, dropping buckets that left it. */
export function advance(w: SlidingWindow, now: number): void {
  const k = Math.floor(now / w.bucketMs)
  if (k <= w.head) return
  const n = w.slots.length
  if (k - w.head >= n) {
    w.slots.fill(0)
    w.sum = 0
  } else {
    for (let i = w.head + 1; i <= k; i++) {
      const s = i % n
      w.sum -= w.slots[s] as number
      w.slots[s] = 0
    }
    if (w.sum < 1e-9) w.sum = Math.max(0, w.sum)
  }
  w.head = k
}

/** What the window holds at `now`. */
export function windowSum(w: SlidingWindow, now: number): number {
  advance(w, now)
  return w.sum
}

/** Adds `amount` at `now`; returns the bucket it went into (to adjust it later). */
export function windowAdd(w: SlidingWindow, now: number, amount: number): number {
  advance(w, now)
  const k = Math.floor(now / w.bucketMs)
  const slot = Math.min(k, w.head) // a clock that stepped back counts in the newest bucket
  w.slots[slot % w.slots.length] = (w.slots[slot % w.slots.length] as number) + amount
  w.sum += amount
  return slot
}

/** Corrects a bucket written earlier (an estimate replaced by the actual), if it is still in the window. */
export function windowAdjust(w: SlidingWindow, bucket: number, delta: number): void {
  if (bucket < w.head - (w.slots.length - 1) || bucket > w.head) return
  const s = bucket % w.slots.length
  const next = Math.max(0, (w.slots[s] as number) + delta)
  w.sum += next - (w.slots[s] as number)
  w.slots[s] = next
}

/**
 * Milliseconds from `now` until `amount` more fits under `limit`, as old buckets leave the window;
 * 0 if it fits now, `Infinity` if it never can (`amount > limit`).
 */
export function retryAfterMs(w: SlidingWindow, now: number, amount: number, limit: number): number {
  advance(w, now)
  if (w.sum + amount <= limit) return 0
  if (amount > limit) return Number.POSITIVE_INFINITY
  const n = w.slots.length
  let left = w.sum
  for (let j = w.head - (n - 1); j <= w.head; j++) {
    left -= w.slots[((j % n) + n) % n] as number
    if (left + amount <= limit) return Math.max(1, (j + n) * w.bucketMs - now)
  }
  return Math.max(1, (w.head + n) * w.bucketMs - now)
}
