/**
 * An inactivity timeout for each request in flight (the body upload, the upstream call) without a
 * timer each. Arming a Node timer per request (and `ClientRequest.setTimeout`'s socket listeners) was
 * measured at several µs of a request's CPU; long timeouts (the default 60 s body and 10 min upstream
 * limits) are instead entries in one list that a single unref'd interval sweeps every second, so they
 * fire up to a second late. Short ones (tests, `x-portkey-request-timeout: 200`) keep a precise timer.
 *
 * The list is linked through the entries, not a Set: two entries join and leave it per request, and a
 * Set that churns rehashes into a new table every few requests, each old table keeping a pointer to
 * the next and the entries it held. Once a full GC under load had promoted one table, that chain of
 * dead tables kept every later request's graph alive through scavenges (survival 1.6 % → 40 %,
 * ~3 MB promoted per scavenge at c16, measured with --trace-gc-nvp).
 */
export type Watch = {
  /** Activity: the timeout starts over (for a swept watch, from the next sweep). */
  touch(): void
  /** Done: the callback will not run. */
  clear(): void
}

/** At or above this, a timeout is swept rather than timed. */
const SWEPT_FROM_MS = 5000
const SWEEP_EVERY_MS = 1000

type Entry = { at: number; ms: number; touched: boolean; fire: (() => void) | null; prev: Entry | null; next: Entry | null }
/** The swept entries, a doubly linked list: O(1) to join and to leave. */
let head: Entry | null = null
let sweeper: NodeJS.Timeout | null = null

function unlink(e: Entry): void {
  if (e.prev) e.prev.next = e.next
  else if (head === e) head = e.next
  if (e.next) e.next.prev = e.prev
  e.prev = null
  e.next = null
}

function sweep(): void {
  const now = Date.now()
  for (let e = head; e; ) {
    const next = e.next
    if (e.touched) {
      e.touched = false
      e.at = now + e.ms
    } else if (e.at <= now) {
      const fire = e.fire
      unlink(e)
      e.fire = null
      fire?.()
    }
    e = next
  }
  if (head === null && sweeper) {
    clearInterval(sweeper)
    sweeper = null
  }
}

export function watchTimeout(ms: number, fire: () => void): Watch {
  if (ms < SWEPT_FROM_MS) {
    const timer = setTimeout(fire, ms)
    timer.unref()
    return { touch: () => void timer.refresh(), clear: () => clearTimeout(timer) }
  }
  const e: Entry = { at: Date.now() + ms, ms, touched: false, fire, prev: null, next: head }
  if (head) head.prev = e
  head = e
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_EVERY_MS)
    sweeper.unref()
  }
  return {
    touch: () => void (e.touched = true),
    clear: () => {
      if (e.fire === null) return // fired or cleared already
      e.fire = null
      unlink(e)
    },
  }
}

/** How many watches the sweep holds, for tests: a cleared one must leave the list at once. */
export function sweptWatches(): number {
  let n = 0
  for (let e = head; e; e = e.next) n++
  return n
}
