/** Breaker state per target on a fake clock: opening, cool-down, one half-open probe, closing, bounds. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createCircuitBreaker } from '../../main/reliability/createCircuitBreaker.ts'
import type { BreakerChange } from '../../main/reliability/createCircuitBreaker.ts'

function setup(opts: { failureThreshold?: number; coolDownMs?: number; maxTargets?: number } = {}) {
  const clock = { t: 1_000_000 }
  const events: BreakerChange[] = []
  const breaker = createCircuitBreaker({ ...opts, now: () => clock.t, onChange: (e) => events.push(e) })
  return { clock, events, breaker }
}

type Step =
  | ['fail' | 'ok' | 'tick', number?]
  | ['allow', boolean]
  | ['state', 'open' | 'half_open' | 'closed']

// One target 'a', threshold 3, cool-down 10 s; each script runs from t = 0.
const scripts: Array<[name: string, steps: Step[]]> = [
  ['fewer failures than the threshold keep it closed', [['fail'], ['fail'], ['state', 'closed'], ['allow', true]]],
  ['a success resets the consecutive count', [['fail'], ['fail'], ['ok'], ['fail'], ['fail'], ['state', 'closed'], ['fail'], ['state', 'open']]],
  ['the threshold opens it; skipped for the cool-down', [['fail'], ['fail'], ['fail'], ['state', 'open'], ['allow', false], ['tick', 9_999], ['allow', false]]],
  ['after the cool-down one probe passes, others wait', [['fail'], ['fail'], ['fail'], ['tick', 10_000], ['state', 'half_open'], ['allow', true], ['allow', false], ['allow', false]]],
  ['the probe succeeds: closed, every call passes', [['fail'], ['fail'], ['fail'], ['tick', 10_000], ['allow', true], ['ok'], ['state', 'closed'], ['allow', true], ['allow', true]]],
  ['the probe fails: open for another full cool-down', [['fail'], ['fail'], ['fail'], ['tick', 10_000], ['allow', true], ['fail'], ['state', 'open'], ['allow', false], ['tick', 9_999], ['allow', false], ['tick', 1], ['allow', true]]],
  ['a probe that never reports frees its slot after a cool-down', [['fail'], ['fail'], ['fail'], ['tick', 10_000], ['allow', true], ['tick', 9_999], ['allow', false], ['tick', 1], ['allow', true], ['allow', false]]],
  ['a late success while open is ignored', [['fail'], ['fail'], ['fail'], ['ok'], ['state', 'open'], ['allow', false]]],
  ['late failures while open do not extend the cool-down', [['fail'], ['fail'], ['fail'], ['tick', 5_000], ['fail'], ['tick', 5_000], ['state', 'half_open'], ['allow', true]]],
]

for (const [name, steps] of scripts) {
  test(`script: ${name}`, () => {
    const { clock, breaker } = setup({ failureThreshold: 3, coolDownMs: 10_000 })
    steps.forEach((s, i) => {
      const at = `step ${i}: ${JSON.stringify(s)}`
      if (s[0] === 'fail') breaker.failure('a')
      else if (s[0] === 'ok') breaker.success('a')
      else if (s[0] === 'tick') clock.t += s[1] ?? 0
      else if (s[0] === 'allow') assert.equal(breaker.allow('a'), s[1], at)
      else assert.equal(breaker.state('a'), s[1], at)
    })
  })
}

test('defaults: 5 consecutive failures, 30 s cool-down', () => {
  const { clock, breaker } = setup()
  for (let i = 0; i < 4; i++) breaker.failure('a')
  assert.equal(breaker.state('a'), 'closed')
  breaker.failure('a')
  assert.equal(breaker.allow('a'), false)
  clock.t += 29_999
  assert.equal(breaker.allow('a'), false)
  clock.t += 1
  assert.equal(breaker.allow('a'), true)
})

test('targets are independent', () => {
  const { breaker } = setup({ failureThreshold: 2 })
  breaker.failure('a')
  breaker.failure('a')
  breaker.failure('b')
  assert.equal(breaker.allow('a'), false)
  assert.equal(breaker.allow('b'), true)
  assert.equal(breaker.allow('never-seen'), true)
  assert.equal(breaker.state('never-seen'), 'closed')
})

test('every state change is reported with its time and failure count', () => {
  const { clock, events, breaker } = setup({ failureThreshold: 2, coolDownMs: 1000 })
  const t0 = clock.t
  breaker.failure('a')
  breaker.failure('a')
  clock.t += 1000
  breaker.allow('a')
  breaker.failure('a')
  clock.t += 1000
  breaker.allow('a')
  breaker.success('a')
  breaker.success('a')
  assert.deepEqual(events, [
    { target: 'a', state: 'open', at: t0, failures: 2 },
    { target: 'a', state: 'half_open', at: t0 + 1000, failures: 2 },
    { target: 'a', state: 'open', at: t0 + 1000, failures: 3 },
    { target: 'a', state: 'half_open', at: t0 + 2000, failures: 3 },
    { target: 'a', state: 'closed', at: t0 + 2000, failures: 0 },
  ])
})

test('snapshot lists remembered targets; closed ones without failures are forgotten', () => {
  const { clock, breaker } = setup({ failureThreshold: 2, coolDownMs: 1000 })
  const t0 = clock.t
  breaker.failure('a')
  breaker.failure('a')
  breaker.failure('b')
  breaker.failure('c')
  breaker.success('c')
  assert.deepEqual(breaker.snapshot(), [
    { target: 'a', state: 'open', failures: 2, openedAt: t0 },
    { target: 'b', state: 'closed', failures: 1, openedAt: null },
  ])
  clock.t += 1000
  assert.deepEqual(breaker.snapshot().map((e) => e.state), ['half_open', 'closed'])
  breaker.allow('a')
  breaker.success('a')
  breaker.success('b')
  assert.deepEqual(breaker.snapshot(), [])
})

test('memory is bounded: closed targets are evicted before open ones', () => {
  const { breaker } = setup({ failureThreshold: 1, maxTargets: 3 })
  for (const t of ['o1', 'o2', 'o3', 'o4']) breaker.failure(t)
  assert.deepEqual(breaker.snapshot().map((e) => e.target), ['o2', 'o3', 'o4'], 'all open: the oldest goes')
  const b2 = setup({ failureThreshold: 2, maxTargets: 3 }).breaker
  b2.failure('o')
  b2.failure('o')
  b2.failure('c1')
  b2.failure('c2')
  b2.failure('c3')
  assert.deepEqual(b2.snapshot().map((e) => e.target), ['o', 'c2', 'c3'])
  for (let i = 0; i < 100; i++) b2.failure(`t${i}`)
  assert.equal(b2.snapshot().length, 3)
})
