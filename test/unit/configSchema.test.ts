/**
 * Routing-config validation as tables: Portkey's documented configs are accepted unchanged; each bad
 * config is refused with every error at its exact path (shape errors from zod, then the rules across
 * fields: conditional names, weights, leaves naming a provider, groups having a strategy).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { validateConfig } from '../../main/routing/config/configSchema.ts'

const accepted: Array<[string, unknown]> = [
  ['a single provider', { provider: 'openai', api_key: 'sk-x' }],
  ['single mode on a leaf (Portkey routing docs)', { provider: 'openai', api_key: 'sk-x', strategy: { mode: 'single' } }],
  // Portkey combines these with the provider, custom host and key the request's headers give.
  ['only retry (the headers name the provider)', { retry: { attempts: 3, on_status_codes: [408, 429] } }],
  ['only cache', { cache: { mode: 'simple', max_age: 60 } }],
  ['only request_timeout', { request_timeout: 5000 }],
  ['strict_open_ai_compliance, anywhere', { strict_open_ai_compliance: false, strategy: { mode: 'fallback' }, targets: [{ provider: 'anthropic', strict_open_ai_compliance: true }, { provider: 'openai' }] }],
  ['a catalog slug', { provider: '@openai-prod', override_params: { model: 'gpt-4o' } }],
  ['a legacy virtual key', { virtual_key: 'main-258f4d' }],
  [
    'fallback with retry and cache (Portkey retrieve-config example)',
    {
      retry: { attempts: 5, on_status_codes: [429, 529] },
      cache: { mode: 'simple', max_age: 3600 },
      strategy: { mode: 'fallback' },
      targets: [
        { provider: 'openai', virtual_key: 'main-258f4d' },
        { provider: 'azure-openai', virtual_key: 'azure-test-4110dd' },
      ],
    },
  ],
  [
    'loadbalance with weights, one 0',
    { strategy: { mode: 'loadbalance' }, targets: [{ provider: '@a', weight: 0.7 }, { provider: '@b', weight: 0.3 }, { provider: '@c', weight: 0 }] },
  ],
  [
    'conditional (Portkey conditional-routing example shape)',
    {
      strategy: {
        mode: 'conditional',
        conditions: [
          { query: { 'metadata.user_plan': { $eq: 'paid' } }, then: 'finetuned-gpt4' },
          { query: { 'metadata.user_plan': { $eq: 'free' } }, then: 'base-gpt4' },
        ],
        default: 'base-gpt4',
      },
      targets: [
        { name: 'finetuned-gpt4', provider: '@xx', override_params: { model: 'ft://gpt4-xxxxx' } },
        { name: 'base-gpt4', provider: '@yy', override_params: { model: 'gpt-4' } },
      ],
    },
  ],
  [
    'everything a target may carry, nested three deep',
    {
      request_timeout: 10000,
      forward_headers: ['x-trace'],
      strategy: { mode: 'fallback', on_status_codes: [429, 503] },
      targets: [
        {
          strategy: { mode: 'loadbalance' },
          retry: { attempts: 3, use_retry_after_headers: true },
          targets: [
            { strategy: { mode: 'single' }, targets: [{ provider: 'ollama', custom_host: 'http://localhost:11434/v1' }] },
            { provider: 'openai', api_key: 'sk-x', override_params: { temperature: 0.2, metadata: { team: 'a' }, stop: ['x'] } },
          ],
        },
        { provider: '@anthropic', cache: { mode: 'simple' }, request_timeout: 2000 },
      ],
    },
  ],
]

type Expect = Array<{ path: string; message: RegExp }>
const refused: Array<[string, unknown, Expect]> = [
  ['not an object', 'openai', [{ path: '', message: /expected object/ }]],
  ['an empty object', {}, [{ path: 'provider', message: /names a provider/ }]],
  ['unknown mode', { strategy: { mode: 'ab_test' }, targets: [{ provider: 'a' }] }, [{ path: 'strategy.mode', message: /single|fallback/ }]],
  ['status code as a string', { strategy: { mode: 'fallback', on_status_codes: [429, '500'] }, targets: [{ provider: 'a' }] }, [{ path: 'strategy.on_status_codes[1]', message: /number/ }]],
  [
    'several shape errors at once, deep',
    {
      strategy: { mode: 'fallback' },
      targets: [
        { provider: 'a', retry: { attempts: 6 } },
        { strategy: { mode: 'fallback', on_status_codes: [42] }, targets: [{ provider: 'b', weight: -1 }] },
      ],
    },
    [
      { path: 'targets[0].retry.attempts', message: /5/ },
      { path: 'targets[1].strategy.on_status_codes[0]', message: /100/ },
      { path: 'targets[1].targets[0].weight', message: /0/ },
    ],
  ],
  [
    'unknown keys, each at its path; override_params is free-form',
    { provider: 'a', colour: 'red', override_params: { anything: { goes: 1 } }, retry: { attempts: 1, backoff: 2 } },
    [
      { path: 'retry.backoff', message: /unknown key "backoff"/ },
      { path: 'colour', message: /unknown key "colour"/ },
    ],
  ],
  ['a Portkey key this gateway does not take', { provider: 'a', input_guardrails: ['pg-x'] }, [{ path: 'input_guardrails', message: /unsupported key "input_guardrails": use Switchyard.s `guardrails` key/ }]],
  ['a camelCase key', { provider: 'a', overrideParams: {} }, [{ path: 'overrideParams', message: /unknown key/ }]],
  ['retry without attempts', { provider: 'a', retry: {} }, [{ path: 'retry.attempts', message: /expected number/ }]],
  ['strict_open_ai_compliance as a string', { provider: 'a', strict_open_ai_compliance: 'false' }, [{ path: 'strict_open_ai_compliance', message: /boolean/ }]],
  ['only a name', { name: 'x' }, [{ path: 'provider', message: /names a provider/ }]],
  ['cache mode', { provider: 'a', cache: { mode: 'fuzzy' } }, [{ path: 'cache.mode', message: /simple|semantic/ }]],
  ['semantic caching is refused by name', { provider: 'a', cache: { mode: 'semantic' } }, [{ path: 'cache.mode', message: /semantic caching is not supported/ }]],
  ['request_timeout not an integer', { provider: 'a', request_timeout: 1.5 }, [{ path: 'request_timeout', message: /int/ }]],
  ['custom_host not a URL', { provider: 'a', custom_host: 'localhost:1234' }, [{ path: 'custom_host', message: /http\(s\) URL/ }]],
  ['override_params an array', { provider: 'a', override_params: [1] }, [{ path: 'override_params', message: /expected record|expected object/ }]],
  ['forward_headers not strings', { provider: 'a', forward_headers: ['a', 2] }, [{ path: 'forward_headers[1]', message: /string/ }]],
  ['targets without a strategy', { targets: [{ provider: 'a' }] }, [{ path: 'strategy', message: /needs a strategy/ }]],
  ['a nested group without a strategy', { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { targets: [{ provider: 'b' }] }] }, [{ path: 'targets[1].strategy', message: /needs a strategy/ }]],
  ['a leaf without a provider', { strategy: { mode: 'fallback' }, targets: [{ provider: 'a' }, { api_key: 'sk' }] }, [{ path: 'targets[1].provider', message: /provider/ }]],
  ['a group naming a provider', { provider: 'a', strategy: { mode: 'fallback' }, targets: [{ provider: 'b' }] }, [{ path: 'provider', message: /put provider on the targets/ }]],
  ['no targets', { strategy: { mode: 'fallback' }, targets: [] }, [{ path: 'targets', message: /at least one/ }]],
  ['fallback on a leaf', { provider: 'a', strategy: { mode: 'fallback' } }, [{ path: 'strategy.mode', message: /fallback needs targets/ }]],
  ['on_status_codes outside fallback', { strategy: { mode: 'loadbalance', on_status_codes: [500] }, targets: [{ provider: 'a' }] }, [{ path: 'strategy.on_status_codes', message: /fallback only/ }]],
  ['conditions outside conditional', { strategy: { mode: 'fallback', conditions: [], default: 'x' }, targets: [{ provider: 'a' }] }, [{ path: 'strategy.conditions', message: /conditional only/ }, { path: 'strategy.default', message: /conditional only/ }]],
  ['loadbalance weights all 0', { strategy: { mode: 'loadbalance' }, targets: [{ provider: 'a', weight: 0 }, { provider: 'b', weight: 0 }] }, [{ path: 'targets', message: /above 0/ }]],
  [
    'conditional without conditions or default',
    { strategy: { mode: 'conditional' }, targets: [{ name: 'a', provider: 'a' }] },
    [
      { path: 'strategy.conditions', message: /at least one condition/ },
      { path: 'strategy.default', message: /required/ },
    ],
  ],
  [
    'conditional naming missing and duplicate targets, deep',
    {
      strategy: { mode: 'fallback' },
      targets: [
        { provider: 'x' },
        {
          strategy: { mode: 'conditional', conditions: [{ query: { 'params.model': 'fast' }, then: 'fast' }, { query: {}, then: 'slow' }], default: 'nope' },
          targets: [{ name: 'fast', provider: 'a' }, { name: 'fast', provider: 'b' }],
        },
      ],
    },
    [
      { path: 'targets[1].targets[1].name', message: /duplicate target name "fast"/ },
      { path: 'targets[1].strategy.conditions[1].then', message: /no target named "slow" \(names: "fast"\)/ },
      { path: 'targets[1].strategy.default', message: /no target named "nope"/ },
    ],
  ],
  [
    'bad queries, each at its path',
    {
      strategy: {
        mode: 'conditional',
        conditions: [
          { query: { 'metadata.plan': { $like: 'p%' } }, then: 'a' },
          { query: { user: 'x' }, then: 'a' },
          { query: { $or: { 'params.model': 'x' } }, then: 'a' },
          { query: { $and: [{ 'params.temperature': { $gt: 'hot' } }, { 'params.model': { $regex: '(' } }] }, then: 'a' },
          { query: { 'params.model': { $in: 'gpt-4' } }, then: 'a' },
          { query: { 'params.model': ['a', 'b'] }, then: 'a' },
          { query: { $nor: [] }, then: 'a' },
        ],
        default: 'a',
      },
      targets: [{ name: 'a', provider: 'a' }],
    },
    [
      { path: 'strategy.conditions[0].query["metadata.plan"].$like', message: /unknown operator \$like/ },
      { path: 'strategy.conditions[1].query.user', message: /params\.<name> or metadata\.<key>/ },
      { path: 'strategy.conditions[2].query.$or', message: /non-empty array/ },
      { path: 'strategy.conditions[3].query.$and[0]["params.temperature"].$gt', message: /number/ },
      { path: 'strategy.conditions[3].query.$and[1]["params.model"].$regex', message: /invalid regular expression/ },
      { path: 'strategy.conditions[4].query["params.model"].$in', message: /array/ },
      { path: 'strategy.conditions[5].query["params.model"]', message: /\$in/ },
      { path: 'strategy.conditions[6].query.$nor', message: /\$and or \$or/ },
    ],
  ],
]

describe('validateConfig', () => {
  for (const [name, json] of accepted) {
    test(`accepts: ${name}`, () => {
      const v = validateConfig(json)
      assert.ok(v.ok, JSON.stringify(!v.ok && v.errors))
      assert.deepEqual(v.config, json, 'the config comes back as written')
    })
  }
  for (const [name, json, expected] of refused) {
    test(`refuses: ${name}`, () => {
      const v = validateConfig(json)
      assert.equal(v.ok, false)
      if (v.ok) return
      assert.deepEqual(
        v.errors.map((e) => e.path),
        expected.map((e) => e.path),
        JSON.stringify(v.errors, null, 1),
      )
      expected.forEach((e, i) => assert.match(v.errors[i]?.message ?? '', e.message))
    })
  }
  test('accepts the gateway spelling use_retry_after_header too', () => {
    assert.ok(validateConfig({ provider: 'a', retry: { attempts: 1, use_retry_after_header: true } }).ok)
  })
  test('a deeply nested config (10 levels) validates', () => {
    let node: Record<string, unknown> = { provider: 'leaf' }
    for (let i = 0; i < 10; i++) node = { strategy: { mode: 'single' }, targets: [node] }
    assert.ok(validateConfig(node).ok)
  })
})
