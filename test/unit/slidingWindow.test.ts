/** The rate-limit window: never more than the limit in any window-long stretch, exact Retry-After, lazy expiry. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSlidingWindow, retryAfterMs, windowAdd, windowAdjust, windowSum } from '../../main/limits/slidingWindow.ts'

const T0 = Date.parse('2026-11-23T10:00:00.000Z')

test('counts what was added and forgets it once the window (plus one bucket) has passed', () => {
  const w = createSlidingWindow(60_000)
  windowAdd(w, T0, 3)
  windowAdd(w, T0 + 30_000, 2)
  assert.equal(windowSum(w, T0 + 59_999), 5)
  assert.equal(windowSum(w, T0 + 61_000), 2, 'the first bucket has left')
  assert.equal(windowSum(w, T0 + 91_000), 0)
})

test('retry-after is when enough old buckets leave; Infinity when the amount alone is over the limit', () => {
  const w = createSlidingWindow(60_000)
  for (let i = 0; i < 3; i++) windowAdd(w, T0 + i * 10_000, 1)
  assert.equal(retryAfterMs(w, T0 + 20_000, 1, 3), 41_000, 'the first request (at T0) frees its slot at T0 + 61 s')
  assert.equal(retryAfterMs(w, T0 + 20_000, 2, 3), 51_000, 'two slots: after the second leaves')
  assert.equal(retryAfterMs(w, T0 + 20_000, 0, 3), 0)
  assert.equal(retryAfterMs(w, T0 + 20_000, 4, 3), Number.POSITIVE_INFINITY)
})

test('never more than the limit in any 60 s stretch, whatever the arrival pattern', () => {
  const w = createSlidingWindow(60_000)
  const admitted: number[] = []
  let seed = 7
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  let now = T0
  for (let i = 0; i < 5000; i++) {
    now += Math.floor(rand() * 900)
    if (windowSum(w, now) + 1 <= 10) {
      windowAdd(w, now, 1)
      admitted.push(now)
    }
  }
  for (let i = 10; i < admitted.length; i++) assert.ok((admitted[i] as number) - (admitted[i - 10] as number) >= 60_000, `11 calls within 60 s at #${i}`)
  assert.ok(admitted.length > 300, 'and it does let calls through (10 a minute over ~37 minutes)')
})

test('an estimate is corrected in its own bucket, and not at all once that bucket has left', () => {
  const w = createSlidingWindow(60_000)
  const b = windowAdd(w, T0, 1000)
  windowAdjust(w, b, -700)
  assert.equal(windowSum(w, T0 + 1), 300)
  windowAdjust(w, b, -1000)
  assert.equal(windowSum(w, T0 + 1), 0, 'never negative')
  const c = windowAdd(w, T0 + 2000, 50)
  windowSum(w, T0 + 200_000)
  windowAdjust(w, c, 500)
  assert.equal(windowSum(w, T0 + 200_000), 0, 'a late correction does not resurrect an expired bucket')
})

test('a clock that steps back counts in the newest bucket', () => {
  const w = createSlidingWindow(60_000)
  windowAdd(w, T0 + 10_000, 1)
  windowAdd(w, T0, 1)
  assert.equal(windowSum(w, T0 + 10_000), 2)
})
