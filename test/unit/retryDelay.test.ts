/** Retry timing with a fixed clock and scripted randomness: backoff ceilings, jitter, Retry-After forms, caps. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_RETRY_STATUS_CODES, isRetriableStatus, parseRetryAfter, retryDelayMs } from '../../main/reliability/retryDelay.ts'

const NOW = Date.parse('2026-11-23T10:00:00.000Z')
const fixed = (r: number) => () => r

test('full jitter: a uniform wait below min(max, base·2^(n-1))', () => {
  const cases: Array<[attempt: number, random: number, opts: { baseMs?: number; maxMs?: number }, expected: number]> = [
    [1, 0.5, {}, 125],
    [2, 0.5, {}, 250],
    [3, 0.5, {}, 500],
    [4, 0.999, {}, 1998],
    [5, 0.5, {}, 2000],
    [6, 0.5, {}, 4000],
    [7, 0.5, {}, 4000],
    [50, 0.5, {}, 4000],
    [2000, 0.5, {}, 4000],
    [1, 0, {}, 0],
    [1, 1, {}, 249],
    [3, 0.25, { baseMs: 1000, maxMs: 2000 }, 500],
    [0, 0.5, {}, 125],
  ]
  for (const [attempt, random, o, expected] of cases) {
    assert.equal(retryDelayMs(attempt, { ...o, now: NOW, random: fixed(random) }), expected, `attempt ${attempt}, random ${random}`)
  }
})

test('jittered waits stay inside their ceiling and spread over it', () => {
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let attempt = 1; attempt <= 8; attempt++) {
    const ceiling = Math.min(8000, 250 * 2 ** (attempt - 1))
    const waits = Array.from({ length: 500 }, () => retryDelayMs(attempt, { now: NOW, random }))
    assert.ok(waits.every((w) => Number.isInteger(w) && w >= 0 && w < ceiling), `attempt ${attempt}`)
    assert.ok(Math.max(...waits) > ceiling * 0.9 && Math.min(...waits) < ceiling * 0.1, `attempt ${attempt} spreads`)
  }
})

test('Retry-After and retry-after-ms are honoured exactly, with no jitter and no backoff cap', () => {
  const cases: Array<[retryAfter: string | null, retryAfterMs: string | null, expected: number]> = [
    ['3', null, 3000],
    [' 20 ', null, 20_000],
    ['1.5', null, 1500],
    ['0', null, 0],
    [null, '1234', 1234],
    [null, '12.4', 13],
    ['30', '500', 500],
    ['Mon, 23 Nov 2026 10:00:07 GMT', null, 7000],
    ['Monday, 23-Nov-26 10:00:07 GMT', null, 7000],
    ['Mon Nov 23 10:00:07 2026', null, 7000],
    ['Mon, 23 Nov 2026 09:59:00 GMT', null, 0],
    ['60', null, 60_000],
  ]
  for (const [retryAfter, retryAfterMs, expected] of cases) {
    assert.equal(retryDelayMs(4, { retryAfter, retryAfterMs, now: NOW, random: fixed(0.9) }), expected, `${retryAfter} / ${retryAfterMs}`)
  }
})

test('unusable headers fall back to backoff', () => {
  for (const [retryAfter, retryAfterMs] of [['soon', null], ['-5', null], ['', ''], ['1e3', null], [null, 'abc'], ['0x10', null], ['Mon, 99 Foo', null]] as const) {
    assert.equal(retryDelayMs(2, { retryAfter, retryAfterMs, now: NOW, random: fixed(0.5) }), 250, `${retryAfter} / ${retryAfterMs}`)
  }
  assert.equal(retryDelayMs(2, { retryAfter: 'soon', retryAfterMs: 'x', now: NOW, random: fixed(0.5) }), 250)
  assert.equal(retryDelayMs(2, { retryAfter: '2', retryAfterMs: 'x', now: NOW, random: fixed(0.5) }), 2000, 'a bad ms header yields to a good seconds one')
})

test('a wait beyond the cap, alone or added to what was already waited, means do not retry (-1)', () => {
  const cases: Array<[opts: { retryAfter?: string; retryAfterMs?: string; waitedMs?: number; maxWaitMs?: number }, expected: number]> = [
    [{ retryAfter: '61' }, -1],
    [{ retryAfter: 'Mon, 23 Nov 2026 10:05:00 GMT' }, -1],
    [{ retryAfterMs: '60001' }, -1],
    [{ retryAfter: '50', waitedMs: 20_000 }, -1],
    [{ retryAfter: '40', waitedMs: 20_000 }, 40_000],
    [{ retryAfter: '10', maxWaitMs: 5000 }, -1],
    [{ waitedMs: 59_999 }, -1],
    [{ waitedMs: 59_500 }, 500],
  ]
  for (const [o, expected] of cases) {
    assert.equal(retryDelayMs(3, { ...o, now: NOW, random: fixed(0.5) }), expected, JSON.stringify(o))
  }
})

test('parseRetryAfter reports what the server asked for, or null', () => {
  assert.equal(parseRetryAfter(null, null, NOW), null)
  assert.equal(parseRetryAfter('120', null, NOW), 120_000)
  assert.equal(parseRetryAfter('nope', '250', NOW), 250)
  assert.equal(parseRetryAfter('Mon, 23 Nov 2026 10:00:00 GMT', null, NOW + 500), 0)
})

test('retriable statuses: Portkey defaults, or exactly the configured on_status_codes', () => {
  assert.deepEqual(DEFAULT_RETRY_STATUS_CODES, [429, 500, 502, 503, 504, 529])
  const cases: Array<[status: number, codes: number[] | undefined | null, expected: boolean]> = [
    [429, undefined, true],
    [500, undefined, true],
    [502, null, true],
    [503, undefined, true],
    [504, undefined, true],
    [529, undefined, true],
    [501, undefined, false],
    [400, undefined, false],
    [401, undefined, false],
    [408, undefined, false],
    [200, undefined, false],
    [408, [408, 429, 401], true],
    [401, [408, 429, 401], true],
    [500, [408, 429, 401], false],
    [429, [], false],
  ]
  for (const [status, codes, expected] of cases) assert.equal(isRetriableStatus(status, codes), expected, `${status} with ${JSON.stringify(codes)}`)
})
