/**
 * Planning requests over compiled configs: every strategy mode and their nesting three deep, every
 * query operator as a table, where a failed attempt falls through to (nested fallbacks as Portkey's
 * loops do it), and the loadbalance draw measured over many requests with a seeded random.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileConfig } from '../../main/routing/config/compileConfig.ts'
import { compileQuery, type PathError, type QueryContext } from '../../main/routing/config/compileQuery.ts'
import { validateConfig } from '../../main/routing/config/configSchema.ts'
import { nextAttemptIndex } from '../../main/routing/config/nextAttemptIndex.ts'
import { planAttempts, type Attempt, type PlanInput } from '../../main/routing/config/planAttempts.ts'

function plan(json: unknown) {
  const v = validateConfig(json)
  if (!v.ok) throw new Error(JSON.stringify(v.errors))
  return compileConfig(v.config)
}

/** mulberry32: a small seeded PRNG, so the draws are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const none: PlanInput = { params: {}, metadata: {} }
const fixed = (r: number) => () => r
const providers = (attempts: Attempt[]) => attempts.map((a) => a.target.provider)

describe('planAttempts: modes', () => {
  test('a leaf root: one attempt, nothing to fall to', () => {
    const a = planAttempts(plan({ provider: 'openai', api_key: 'sk' }), none, Math.random)
    assert.deepEqual(providers(a), ['openai'])
    assert.deepEqual([a[0]?.path, a[0]?.jsonPath, a[0]?.fallbackOn, a[0]?.fallbacks], [[], 'config', [], []])
  })
  test('single: its first target', () => {
    const a = planAttempts(plan({ strategy: { mode: 'single' }, targets: [{ provider: 'a' }, { provider: 'b' }] }), none, Math.random)
    assert.deepEqual(providers(a), ['a'])
    assert.deepEqual(a[0]?.path, [0])
  })
  test('fallback: every target in order; default falls through on any non-2xx', () => {
    const a = planAttempts(plan({ strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { provider: 'b' }, { provider: 'c' }] }), none, Math.random)
    assert.deepEqual(providers(a), ['a', 'b', 'c'])
    assert.deepEqual(a.map((x) => x.fallbackOn), [null, null, []])
    assert.deepEqual(a.map((x) => x.path), [[0], [1], [2]])
    assert.deepEqual([nextAttemptIndex(a, 0, 500), nextAttemptIndex(a, 0, 404), nextAttemptIndex(a, 0, 200), nextAttemptIndex(a, 1, 429), nextAttemptIndex(a, 2, 500)], [1, 1, -1, 2, -1])
  })
  test('fallback with on_status_codes: only those fall through', () => {
    const a = planAttempts(plan({ strategy: { mode: 'fallback', on_status_codes: [429, 503] }, targets: [{ provider: 'a' }, { provider: 'b' }] }), none, Math.random)
    assert.deepEqual(a[0]?.fallbackOn, [429, 503])
    assert.deepEqual([nextAttemptIndex(a, 0, 429), nextAttemptIndex(a, 0, 503), nextAttemptIndex(a, 0, 500), nextAttemptIndex(a, 0, 401)], [1, 1, -1, -1])
  })
  test('loadbalance: one target by weight, Portkey\'s draw (random × total)', () => {
    const p = plan({ strategy: { mode: 'loadbalance' }, targets: [{ provider: 'a', weight: 1 }, { provider: 'b', weight: 3 }, { provider: 'c' }] })
    // total 5: [0,1) a, [1,4) b, [4,5) c (weight defaults to 1)
    const table: Array<[number, string]> = [[0, 'a'], [0.19, 'a'], [0.2, 'b'], [0.79, 'b'], [0.8, 'c'], [0.9999, 'c'], [1, 'c']]
    for (const [r, want] of table) assert.deepEqual(providers(planAttempts(p, none, fixed(r))), [want], `random ${r}`)
  })
  test('loadbalance never picks a weight-0 target, even at the edges', () => {
    const p = plan({ strategy: { mode: 'loadbalance' }, targets: [{ provider: 'zero', weight: 0 }, { provider: 'b', weight: 2 }, { provider: 'zero2', weight: 0 }] })
    for (const r of [0, 0.5, 0.999999, 1]) assert.deepEqual(providers(planAttempts(p, none, fixed(r))), ['b'])
  })
  test('conditional: first matching condition in order, else default', () => {
    const p = plan({
      strategy: {
        mode: 'conditional',
        conditions: [
          { query: { 'metadata.user_plan': { $eq: 'paid' } }, then: 'finetuned' },
          { query: { 'params.model': 'fastest' }, then: 'mini' },
          { query: { 'metadata.user_plan': 'paid' }, then: 'mini' },
        ],
        default: 'base',
      },
      targets: [
        { name: 'base', provider: 'base' },
        { name: 'finetuned', provider: 'ft' },
        { name: 'mini', provider: 'mini' },
      ],
    })
    const table: Array<[PlanInput, string, number[]]> = [
      [{ params: {}, metadata: { user_plan: 'paid' } }, 'ft', [1]],
      [{ params: { model: 'fastest' }, metadata: { user_plan: 'paid' } }, 'ft', [1]],
      [{ params: { model: 'fastest' }, metadata: {} }, 'mini', [2]],
      [{ params: { model: 'smartest' }, metadata: { user_plan: 'free' } }, 'base', [0]],
      [none, 'base', [0]],
    ]
    for (const [input, want, path] of table) {
      const a = planAttempts(p, input, Math.random)
      assert.deepEqual([providers(a), a[0]?.path], [[want], path], JSON.stringify(input))
    }
  })
})

describe('planAttempts: nesting', () => {
  // conditional → fallback → loadbalance, the shape the bench plans
  const nested = plan({
    override_params: { metadata: { via: 'root' } },
    strategy: {
      mode: 'conditional',
      conditions: [{ query: { $or: [{ 'metadata.tier': 'pro' }, { 'params.max_tokens': { $gte: 4096 } }] }, then: 'premium' }],
      default: 'standard',
    },
    targets: [
      {
        name: 'premium',
        retry: { attempts: 3 },
        strategy: { mode: 'fallback', on_status_codes: [429, 500, 503] },
        targets: [
          {
            strategy: { mode: 'loadbalance' },
            override_params: { temperature: 0.3 },
            targets: [
              { provider: '@anthropic-a', weight: 1, override_params: { model: 'claude-sonnet-4' } },
              { provider: '@anthropic-b', weight: 1, override_params: { model: 'claude-sonnet-4' }, request_timeout: 20000 },
            ],
          },
          { provider: '@openai', override_params: { model: 'gpt-4o', metadata: { fallback: 'yes' } } },
        ],
      },
      { name: 'standard', provider: '@cheap', override_params: { model: 'gpt-4o-mini' } },
    ],
  })

  test('premium, first half of the draw: a, then the fallback', () => {
    const a = planAttempts(nested, { params: {}, metadata: { tier: 'pro' } }, fixed(0.1))
    assert.deepEqual(providers(a), ['@anthropic-a', '@openai'])
    assert.deepEqual(a.map((x) => x.path), [[0, 0, 0], [0, 1]])
    assert.deepEqual(a.map((x) => x.jsonPath), ['config.targets[0].targets[0].targets[0]', 'config.targets[0].targets[1]'])
    assert.deepEqual(a[0]?.overrideParams, { metadata: { via: 'root' }, temperature: 0.3, model: 'claude-sonnet-4' })
    assert.deepEqual(a[1]?.overrideParams, { metadata: { via: 'root', fallback: 'yes' }, model: 'gpt-4o' })
    assert.deepEqual(a.map((x) => x.retry?.attempts), [3, 3])
    assert.deepEqual(a.map((x) => x.fallbackOn), [[429, 500, 503], []])
  })
  test('premium by params, second half of the draw: b with its own timeout', () => {
    const a = planAttempts(nested, { params: { max_tokens: 8192 }, metadata: {} }, fixed(0.9))
    assert.deepEqual(providers(a), ['@anthropic-b', '@openai'])
    assert.deepEqual(a.map((x) => x.requestTimeoutMs), [20000, null])
  })
  test('standard: the default, no retry', () => {
    const a = planAttempts(nested, { params: { max_tokens: 100 }, metadata: { tier: 'free' } }, fixed(0.1))
    assert.deepEqual(providers(a), ['@cheap'])
    assert.deepEqual([a[0]?.retry, a[0]?.path, a[0]?.fallbackOn], [null, [1], []])
  })

  test('fallback of fallbacks: an inner group that does not match hands the response to the outer one', () => {
    const a = planAttempts(
      plan({
        strategy: { mode: 'fallback' },
        targets: [
          { strategy: { mode: 'fallback', on_status_codes: [429] }, targets: [{ provider: 'a' }, { provider: 'b' }] },
          { strategy: { mode: 'fallback', on_status_codes: [503] }, targets: [{ provider: 'c' }, { provider: 'd' }] },
        ],
      }),
      none,
      Math.random,
    )
    assert.deepEqual(providers(a), ['a', 'b', 'c', 'd'])
    assert.deepEqual(a[0]?.fallbacks, [{ on: [429], next: 1 }, { on: null, next: 2 }])
    assert.deepEqual(a[1]?.fallbacks, [{ on: null, next: 2 }])
    assert.deepEqual(a[2]?.fallbacks, [{ on: [503], next: 3 }])
    assert.deepEqual(a.map((x) => x.fallbackOn), [null, null, [503], []])
    const table: Array<[number, number, number]> = [
      [0, 429, 1], // inner group matches: its next target
      [0, 500, 2], // inner does not match, outer (any non-2xx) does: skip b
      [0, 200, -1],
      [1, 400, 2],
      [2, 503, 3],
      [2, 429, -1], // the last outer target's group does not match, and there is nothing after it
      [3, 503, -1],
    ]
    for (const [i, status, next] of table) assert.equal(nextAttemptIndex(a, i, status), next, `attempt ${i} status ${status}`)
  })

  test('a loadbalance of fallbacks, and ten levels of single', () => {
    const p = plan({
      strategy: { mode: 'loadbalance' },
      targets: [
        { weight: 1, strategy: { mode: 'fallback' }, targets: [{ provider: 'a1' }, { provider: 'a2' }] },
        { weight: 1, strategy: { mode: 'fallback' }, targets: [{ provider: 'b1' }, { provider: 'b2' }] },
      ],
    })
    assert.deepEqual(providers(planAttempts(p, none, fixed(0.7))), ['b1', 'b2'])
    let node: Record<string, unknown> = { provider: 'deep' }
    for (let i = 0; i < 10; i++) node = { strategy: { mode: 'single' }, targets: [node] }
    const a = planAttempts(plan(node), none, Math.random)
    assert.deepEqual([providers(a), a[0]?.path.length], [['deep'], 10])
  })

  test('loadbalance distribution follows the weights (seeded, 20 000 draws)', () => {
    const p = plan({ strategy: { mode: 'loadbalance' }, targets: [{ provider: 'a', weight: 0.5 }, { provider: 'b', weight: 0.3 }, { provider: 'c', weight: 0.2 }, { provider: 'z', weight: 0 }] })
    const random = seeded(42)
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, z: 0 }
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const p0 = planAttempts(p, none, random)[0]?.target.provider as string
      counts[p0] = (counts[p0] ?? 0) + 1
    }
    assert.equal(counts.z, 0)
    for (const [k, w] of [['a', 0.5], ['b', 0.3], ['c', 0.2]] as const) {
      const share = (counts[k] ?? 0) / n
      assert.ok(Math.abs(share - w) < 0.015, `${k}: ${share} vs ${w}`)
    }
  })
})

describe('compileQuery operators', () => {
  const ctx: QueryContext = {
    params: { model: 'gpt-4o', temperature: 0.8, max_tokens: 1000, stream: true, tools: [1, 2, 3], user: { id: 'u1', org: { tier: 'pro' } } },
    metadata: { user_plan: 'paid', region: 'eu-west', count: '12' },
  }
  const table: Array<[string, Record<string, unknown>, boolean]> = [
    ['implicit $eq', { 'params.model': 'gpt-4o' }, true],
    ['implicit $eq, other', { 'params.model': 'gpt-4' }, false],
    ['$eq', { 'metadata.user_plan': { $eq: 'paid' } }, true],
    ['$eq is strict (metadata is strings)', { 'metadata.count': { $eq: 12 } }, false],
    ['$eq boolean', { 'params.stream': { $eq: true } }, true],
    ['$ne', { 'metadata.user_plan': { $ne: 'free' } }, true],
    ['$ne, equal', { 'metadata.user_plan': { $ne: 'paid' } }, false],
    ['$ne of a missing field', { 'metadata.nope': { $ne: 'x' } }, true],
    ['$in', { 'params.model': { $in: ['gpt-4o', 'gpt-4o-mini'] } }, true],
    ['$in, absent', { 'params.model': { $in: ['o1'] } }, false],
    ['$nin', { 'params.model': { $nin: ['o1', 'o3'] } }, true],
    ['$nin, present', { 'params.model': { $nin: ['gpt-4o'] } }, false],
    ['$gt', { 'params.temperature': { $gt: 0.7 } }, true],
    ['$gt, equal', { 'params.max_tokens': { $gt: 1000 } }, false],
    ['$gte, equal', { 'params.max_tokens': { $gte: 1000 } }, true],
    ['$lt', { 'params.temperature': { $lt: 0.7 } }, false],
    ['$lte, equal', { 'params.max_tokens': { $lte: 1000 } }, true],
    ['$gt on a numeric metadata string', { 'metadata.count': { $gt: 10 } }, true],
    ['$lt with a numeric string bound', { 'metadata.count': { $lt: '20' } }, true],
    ['$gt of a missing field', { 'params.top_p': { $gt: 0 } }, false],
    ['$gt of a non-number', { 'params.model': { $gt: 0 } }, false],
    ['range: both operators must hold', { 'params.temperature': { $gte: 0.5, $lt: 0.9 } }, true],
    ['range: one fails', { 'params.temperature': { $gte: 0.5, $lt: 0.8 } }, false],
    ['$regex', { 'metadata.region': { $regex: '^eu-' } }, true],
    ['$regex, no match', { 'params.model': { $regex: '^claude' } }, false],
    ['$regex of a missing field never matches "undefined"', { 'params.none': { $regex: 'undefined' } }, false],
    ['$length', { 'params.tools': { $length: 3 } }, true],
    ['$length with operators', { 'params.tools': { $length: { $gt: 5 } } }, false],
    ['nested param path', { 'params.user.org.tier': 'pro' }, true],
    ['nested param path, missing', { 'params.user.nope.tier': 'pro' }, false],
    ['every key must hold', { 'params.model': 'gpt-4o', 'metadata.user_plan': 'free' }, false],
    ['$and', { $and: [{ 'params.model': 'gpt-4o' }, { 'metadata.user_plan': 'paid' }] }, true],
    ['$and, one false', { $and: [{ 'params.model': 'gpt-4o' }, { 'metadata.user_plan': 'free' }] }, false],
    ['$or', { $or: [{ 'params.model': 'o1' }, { 'metadata.region': { $regex: 'eu' } }] }, true],
    ['$or, none', { $or: [{ 'params.model': 'o1' }, { 'metadata.region': 'us' }] }, false],
    ['$or beside a field: both must hold', { $or: [{ 'params.model': 'gpt-4o' }], 'metadata.user_plan': 'free' }, false],
    ['nested $and in $or', { $or: [{ $and: [{ 'params.stream': true }, { 'params.max_tokens': { $gt: 500 } }] }, { 'params.model': 'x' }] }, true],
    ['an empty query matches', {}, true],
  ]
  for (const [name, query, want] of table) {
    test(name, () => {
      const errors: PathError[] = []
      const t = compileQuery(query, 'query', errors)
      assert.deepEqual(errors, [])
      assert.equal(t(ctx), want)
    })
  }
  test('a bad query never matches and says why', () => {
    const errors: PathError[] = []
    const t = compileQuery({ 'metadata.a.b': 'x' }, 'q', errors)
    assert.equal(t(ctx), false)
    assert.deepEqual(errors.map((e) => e.path), ['q["metadata.a.b"]'])
  })
})
