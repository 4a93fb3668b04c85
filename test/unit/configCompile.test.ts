/**
 * Compiling a routing config: inheritance down the tree as Portkey's gateway applies it (retry and
 * cache replaced whole, request_timeout / forward_headers / custom_host inherited unless set,
 * override_params merged child-on-top with plain objects deep-merged and arrays replaced), and an
 * immutable result that never aliases or mutates the input.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileConfig, DEFAULT_RETRY_STATUS_CODES } from '../../main/routing/config/compileConfig.ts'
import type { PlanLeaf, PlanNode } from '../../main/routing/config/ConfigPlan.ts'
import { validateConfig } from '../../main/routing/config/configSchema.ts'
import { mergeOverrideParams } from '../../main/routing/config/mergeOverrideParams.ts'
import type { PortkeyConfig } from '../../main/routing/config/PortkeyConfig.ts'

function compiled(json: unknown) {
  const v = validateConfig(json)
  if (!v.ok) throw new Error(JSON.stringify(v.errors))
  return compileConfig(v.config)
}

function leaf(node: PlanNode, ...path: number[]): PlanLeaf {
  let n = node
  for (const i of path) {
    if (n.mode === 'leaf') throw new Error('not a group')
    n = n.children[i] as PlanNode
  }
  if (n.mode !== 'leaf') throw new Error(`not a leaf: ${n.mode}`)
  return n
}

const tree = {
  override_params: { model: 'root-model', temperature: 0.1, metadata: { team: 'core', env: 'prod' }, stop: ['a', 'b'] },
  retry: { attempts: 2 },
  cache: { mode: 'simple', max_age: 60 },
  request_timeout: 30000,
  forward_headers: ['x-root'],
  custom_host: 'https://proxy.example.com/v1',
  strategy: { mode: 'fallback' },
  targets: [
    {
      override_params: { temperature: 0.5, metadata: { env: 'staging', tier: 'gold' } },
      retry: { attempts: 4, on_status_codes: [429] },
      strategy: { mode: 'loadbalance' },
      targets: [
        { provider: '@a', override_params: { metadata: { tier: 'silver', extra: { deep: 1 } }, stop: ['z'] }, request_timeout: 5000 },
        { provider: '@b', forward_headers: ['x-b'], cache: { mode: 'simple', max_age: 5 }, custom_host: 'http://localhost:8080' },
      ],
    },
    { provider: 'openai', api_key: 'sk-o', virtual_key: 'vk', name: 'last' },
  ],
}

describe('compileConfig inheritance', () => {
  const plan = compiled(tree)
  const a = leaf(plan.root, 0, 0)
  const b = leaf(plan.root, 0, 1)
  const o = leaf(plan.root, 1)

  const table: Array<[string, PlanLeaf, Partial<Record<keyof PlanLeaf, unknown>>]> = [
    [
      'three levels of override_params: scalars last write, objects deep, arrays replaced',
      a,
      { overrideParams: { model: 'root-model', temperature: 0.5, metadata: { team: 'core', env: 'staging', tier: 'silver', extra: { deep: 1 } }, stop: ['z'] } },
    ],
    ['the middle level alone over the root', b, { overrideParams: { model: 'root-model', temperature: 0.5, metadata: { team: 'core', env: 'staging', tier: 'gold' }, stop: ['a', 'b'] } }],
    ['no override of its own: the root', o, { overrideParams: tree.override_params }],
    ['retry: the nearest one, replaced whole (no root attempts leak into the middle)', a, { retry: { attempts: 4, on_status_codes: [429], use_retry_after_headers: true } }],
    ['retry: the root one, with Portkey\'s default statuses', o, { retry: { attempts: 2, on_status_codes: DEFAULT_RETRY_STATUS_CODES, use_retry_after_headers: true } }],
    ['cache: inherited', a, { cache: { mode: 'simple', max_age: 60 } }],
    ['cache: replaced whole (the root max_age does not leak)', b, { cache: { mode: 'simple', max_age: 5 } }],
    ['request_timeout: own', a, { requestTimeoutMs: 5000 }],
    ['request_timeout: inherited', b, { requestTimeoutMs: 30000 }],
  ]
  for (const [name, node, expected] of table) {
    test(name, () => {
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(node[k as keyof PlanLeaf], v, k)
    })
  }

  test('target fields: own provider and keys; forward_headers and custom_host own or inherited', () => {
    assert.deepEqual(a.target, { name: null, provider: '@a', virtual_key: null, api_key: null, custom_host: 'https://proxy.example.com/v1', forward_headers: ['x-root'] })
    assert.deepEqual(b.target, { name: null, provider: '@b', virtual_key: null, api_key: null, custom_host: 'http://localhost:8080', forward_headers: ['x-b'] })
    assert.deepEqual(o.target, { name: 'last', provider: 'openai', virtual_key: 'vk', api_key: 'sk-o', custom_host: 'https://proxy.example.com/v1', forward_headers: ['x-root'] })
  })

  test('paths: index path and Portkey\'s option-index form', () => {
    assert.deepEqual([a.path, a.jsonPath], [[0, 0], 'config.targets[0].targets[0]'])
    assert.deepEqual([o.path, o.jsonPath], [[1], 'config.targets[1]'])
    assert.deepEqual([plan.root.path, plan.root.jsonPath], [[], 'config'])
  })

  test('use_retry_after_headers (and the gateway spelling) carry through', () => {
    assert.equal(leaf(compiled({ provider: 'a', retry: { attempts: 1, use_retry_after_headers: true } }).root).retry?.use_retry_after_headers, true)
    assert.equal(leaf(compiled({ provider: 'a', retry: { attempts: 1, use_retry_after_header: true } }).root).retry?.use_retry_after_headers, true)
    assert.equal(leaf(compiled({ provider: 'a', retry: { attempts: 1, use_retry_after_headers: false } }).root).retry?.use_retry_after_headers, false)
  })

  test('a leaf root; nothing set means nothing inherited', () => {
    const l = leaf(compiled({ provider: 'openai' }).root)
    assert.deepEqual([l.overrideParams, l.retry, l.cache, l.requestTimeoutMs, l.target.forward_headers, l.target.custom_host], [{}, null, null, null, null, null])
  })

  test('the plan is deeply frozen and the input is neither frozen nor aliased', () => {
    const json = structuredClone(tree) as PortkeyConfig
    const p = compiled(json)
    const l = leaf(p.root, 0, 0)
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.root) && Object.isFrozen(l.overrideParams) && Object.isFrozen(l.overrideParams.metadata))
    const params = l.overrideParams as Record<string, unknown>
    assert.throws(() => {
      params.model = 'x'
    }, TypeError)
    assert.equal(Object.isFrozen(json), false)
    assert.equal(Object.isFrozen(json.override_params), false)
    assert.deepEqual(json, tree)
  })

  test('throws on a config validation refuses', () => {
    assert.throws(() => compileConfig({ strategy: { mode: 'conditional', conditions: [{ query: {}, then: 'x' }], default: 'x' }, targets: [{ provider: 'a' }] }), /no target named "x"/)
    assert.throws(() => compileConfig({ targets: [{ provider: 'a' }] }), /needs a strategy/)
  })
})

describe('mergeOverrideParams', () => {
  const table: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>]> = [
    ['nothing over', { a: 1 }, undefined, { a: 1 }],
    ['scalar last write wins', { a: 1, b: 2 }, { a: 3 }, { a: 3, b: 2 }],
    ['null is a value too', { a: 1 }, { a: null }, { a: null }],
    ['arrays replaced', { stop: ['a', 'b'] }, { stop: ['c'] }, { stop: ['c'] }],
    ['objects deep-merged', { metadata: { a: 1, n: { x: 1, y: 1 } } }, { metadata: { b: 2, n: { y: 2 } } }, { metadata: { a: 1, b: 2, n: { x: 1, y: 2 } } }],
    ['object over scalar replaces', { metadata: 'x' }, { metadata: { a: 1 } }, { metadata: { a: 1 } }],
    ['scalar over object replaces', { metadata: { a: 1 } }, { metadata: 'x' }, { metadata: 'x' }],
    ['array over object replaces', { tools: { a: 1 } }, { tools: [1] }, { tools: [1] }],
  ]
  for (const [name, base, over, expected] of table) test(name, () => assert.deepEqual(mergeOverrideParams(base, over), expected))

  test('never mutates its inputs, and __proto__ stays a plain key', () => {
    const base = { metadata: { a: 1 } }
    const over = JSON.parse('{"metadata":{"b":2},"__proto__":{"polluted":true}}') as Record<string, unknown>
    const out = mergeOverrideParams(base, over)
    assert.deepEqual(base, { metadata: { a: 1 } })
    assert.equal(Object.getPrototypeOf(out), Object.prototype)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.deepEqual(Object.keys(out), ['metadata', '__proto__'])
    assert.notEqual(out.metadata, over.metadata)
  })
})
