/** Inactivity timeouts: swept ones (≥ 5 s) fire once, up to a second late, unless cleared or touched; short ones are precise timers. */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, mock, test } from 'node:test'
import { sweptWatches, watchTimeout } from '../../main/gateway/watchTimeout.ts'

beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 0 }))
afterEach(() => mock.timers.reset())

/** Time passes in 100 ms steps: the mock gives every timer run of one tick the tick's final time. */
function advance(ms: number): void {
  for (let t = 0; t < ms; t += 100) mock.timers.tick(100)
}

test('a swept watch fires once, within a second after its timeout', () => {
  let fired = 0
  watchTimeout(10_000, () => fired++)
  advance(9_900)
  assert.equal(fired, 0)
  advance(1_100)
  assert.equal(fired, 1)
  advance(60_000)
  assert.equal(fired, 1, 'once')
})

test('touch starts the timeout over; clear stops it, also after it fired or twice', () => {
  let fired = 0
  const w = watchTimeout(5_000, () => fired++)
  for (let i = 0; i < 10; i++) {
    advance(3_000)
    w.touch()
  }
  assert.equal(fired, 0, 'touched every 3 s')
  advance(7_000)
  assert.equal(fired, 1)
  w.clear()
  w.clear()
  const c = watchTimeout(5_000, () => fired++)
  c.clear()
  c.clear()
  advance(20_000)
  assert.equal(fired, 1)
})

test('clearing watches at the head, middle and tail of the list leaves the others to fire', () => {
  const fired: number[] = []
  const watches = Array.from({ length: 7 }, (_, i) => watchTimeout(6_000, () => fired.push(i)))
  for (const i of [0, 3, 6]) watches[i]?.clear()
  assert.equal(sweptWatches(), 4, 'cleared watches leave the list at once')
  // In any order, each leaves it, and those left are still linked both ways.
  const churn = Array.from({ length: 50 }, () => watchTimeout(600_000, () => fired.push(-1)))
  for (const i of [1, 0, 49, 25, 24, 26, 48, 2]) churn[i]?.clear()
  for (const [i, w] of churn.entries()) if (i % 3 === 0) w.clear()
  for (const w of churn) w.clear()
  assert.equal(sweptWatches(), 4)
  advance(2_000)
  watches[1]?.clear() // while others wait
  advance(6_000)
  assert.deepEqual(fired.sort(), [2, 4, 5])
  assert.equal(sweptWatches(), 0)
  // The list is empty: a new watch still fires (the sweep starts again).
  const later: number[] = []
  watchTimeout(5_000, () => later.push(1))
  advance(7_000)
  assert.deepEqual(later, [1])
})

test('a watch that fires may clear or start others from its callback', () => {
  const fired: string[] = []
  let b = watchTimeout(5_000, () => fired.push('b'))
  watchTimeout(5_000, () => {
    fired.push('a')
    b.clear()
    b = watchTimeout(5_000, () => fired.push('c'))
  })
  advance(6_000)
  advance(6_000)
  assert.ok(fired.includes('a') && fired.includes('c'), fired.join())
  assert.equal(fired.filter((f) => f === 'b').length <= 1, true)
})

test('a short timeout is a precise timer', () => {
  let fired = 0
  watchTimeout(200, () => fired++)
  advance(100)
  assert.equal(fired, 0)
  advance(100)
  assert.equal(fired, 1)
  const c = watchTimeout(200, () => fired++)
  c.clear()
  advance(1_000)
  assert.equal(fired, 1)
})
