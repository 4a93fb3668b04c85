/** Route resolution over a hand-built routing snapshot: every way to name a provider, and every refusal. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import { resolveRoute } from '../../main/gateway/resolveRoute.ts'
import type { Call, Client } from '../../main/gateway/types.ts'
import { azureOpenai } from '../../main/providers/azureOpenai.ts'
import { ollama } from '../../main/providers/ollama.ts'
import { anthropic } from '../../main/providers/anthropic.ts'
import { openai } from '../../main/providers/openai.ts'
import type { ProviderSpec } from '../../main/providers/provider.ts'
import type { RouteProvider, RoutingTable } from '../../main/routing/RoutingTable.ts'
import { Secret } from '../../main/vault/Secret.ts'
import { compileAliases } from '../../main/routing/compileAliases.ts'

function provider(slug: string, spec: ProviderSpec, extra: Partial<RouteProvider> = {}): RouteProvider {
  return {
    id: `prv_${slug}`,
    slug,
    name: slug,
    integrationId: `int_${slug}`,
    integrationSlug: slug,
    spec,
    baseUrl: spec.baseUrl ?? 'https://x.openai.azure.com',
    settings: {},
    apiKey: new Secret(`key-of-${slug}-0123456789`),
    workspaceIds: null,
    models: new Set(spec.knownModels.map((m) => m.id)),
    prices: new Map(spec.knownModels.map((m) => [m.id, m])),
    timeoutMs: 1000,
    ...extra,
  }
}

const table: RoutingTable = {
  version: 1,
  providers: new Map([
    ['openai', provider('openai', openai)],
    ['openai-dev', provider('openai-dev', openai, { workspaceIds: new Set(['ws_other']) })],
    ['local', provider('local', ollama, { apiKey: null, models: new Set(['llama3.2']) })],
    ['claude', provider('claude', anthropic)],
    ['az', provider('az', azureOpenai, { settings: { azureDeployments: [{ alias: 'fast', deployment: 'dep-fast', model: 'gpt-4o-mini', isDefault: true }] } })],
  ]),
  keysByHash: new Map(),
  workspaces: new Map([['ws_default', { slug: 'default', archived: false }]]),
  aliases: {
    byKey: new Map([['k', compileAliases([{ pattern: 'claude-haiku-*', target: '@local/llama3.2' }])]]),
    byWorkspace: new Map([['ws_default', compileAliases([{ pattern: 'claude-*', target: '@openai/gpt-4o' }, { pattern: 'fast', target: '@openai/*' }])]]),
  },
}

const client: Client = { keyId: 'k', workspaceId: 'ws_default', upstreamAuthorization: null }
const call = (model: string | undefined, stream = false): Call => ({
  endpoint: 'chat',
  dialect: 'openai',
  body: { model, messages: [] },
  model,
  stream,
  clientWantsStreamUsage: false,
  metadata: null,
  traceId: 't',
})
const req = (headers: Record<string, string> = {}) => ({ headers })

type Expect = { url: string; model: string; slug: string | null } | { error: string }
const cases: Array<[string, Call, Record<string, string>, Expect]> = [
  ['@slug/model', call('@openai/gpt-4o'), {}, { url: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o', slug: 'openai' }],
  ['model names with slashes survive', call('@local/library/qwen:7b'), {}, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'library/qwen:7b', slug: 'local' }],
  ['x-portkey-provider @slug + bare model', call('gpt-4o'), { 'x-portkey-provider': '@openai' }, { url: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o', slug: 'openai' }],
  ['virtual key', call('gpt-4o'), { 'x-portkey-virtual-key': 'openai' }, { url: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o', slug: 'openai' }],
  ['bare model served by one provider in the workspace', call('llama3.2'), {}, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'llama3.2', slug: 'local' }],
  ['azure alias', call('@az/fast'), {}, { url: 'https://x.openai.azure.com/openai/deployments/dep-fast/chat/completions?api-version=2024-10-21', model: 'fast', slug: 'az' }],
  ['azure default deployment', call(undefined), { 'x-portkey-provider': '@az' }, { url: 'https://x.openai.azure.com/openai/deployments/dep-fast/chat/completions?api-version=2024-10-21', model: 'fast', slug: 'az' }],
  ['custom host', call('m'), { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'http://127.0.0.1:9999/v1/' }, { url: 'http://127.0.0.1:9999/v1/chat/completions', model: 'm', slug: null }],
  ['a key alias comes before the workspace\'s', call('claude-haiku-4-5'), {}, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'llama3.2', slug: 'local' }],
  ['a workspace alias pattern', call('claude-sonnet-4-5-20250929'), {}, { url: 'https://api.openai.com/v1/chat/completions', model: 'gpt-4o', slug: 'openai' }],
  ['an alias target ending in /* keeps the name', call('fast'), {}, { url: 'https://api.openai.com/v1/chat/completions', model: 'fast', slug: 'openai' }],
  ['an explicit provider header wins over aliases', call('claude-sonnet-4-5'), { 'x-portkey-provider': '@local' }, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'claude-sonnet-4-5', slug: 'local' }],
  ['unknown slug', call('@nope/gpt-4o'), {}, { error: 'provider_not_found' }],
  ['provider of another workspace', call('@openai-dev/gpt-4o'), {}, { error: 'provider_not_allowed' }],
  ['no model at all', call(undefined), {}, { error: 'model_required' }],
  ['unknown bare model', call('who-knows'), {}, { error: 'model_not_found' }],
  ['@slug without a model part', call('@openai'), {}, { error: 'invalid_request' }],
  ['azure unknown alias', call('@az/slow'), {}, { error: 'model_not_found' }],
  ['provider kind without host or key', call('m'), { 'x-portkey-provider': 'openai' }, { error: 'provider_not_found' }],
  ['Ollama custom host without /v1 (Portkey\'s Ollama docs)', call('m'), { 'x-portkey-provider': 'ollama', 'x-portkey-custom-host': 'http://127.0.0.1:11434' }, { url: 'http://127.0.0.1:11434/v1/chat/completions', model: 'm', slug: null }],
  ['LM Studio custom host with a trailing slash', call('m'), { 'x-portkey-provider': 'lmstudio', 'x-portkey-custom-host': 'http://127.0.0.1:1234/' }, { url: 'http://127.0.0.1:1234/v1/chat/completions', model: 'm', slug: null }],
  ['vLLM behind a path prefix', call('m'), { 'x-portkey-provider': 'vllm', 'x-portkey-custom-host': 'http://gpu.lan/vllm' }, { url: 'http://gpu.lan/vllm/v1/chat/completions', model: 'm', slug: null }],
  ['an OpenAI custom host is taken as written', call('m'), { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'http://127.0.0.1:9999' }, { url: 'http://127.0.0.1:9999/chat/completions', model: 'm', slug: null }],
  ['Azure by Portkey\'s headers, resource name', call('gpt-4o'), { 'x-portkey-provider': 'azure-openai', 'x-portkey-azure-resource-name': 'acme', 'x-portkey-azure-deployment-id': 'dep-1', 'x-portkey-azure-api-version': '2025-01-01' }, { url: 'https://acme.openai.azure.com/openai/deployments/dep-1/chat/completions?api-version=2025-01-01', model: 'gpt-4o', slug: null }],
  ['Azure by Portkey\'s headers, custom host with /openai', call(undefined), { 'x-portkey-provider': 'azure-openai', 'x-portkey-custom-host': 'http://127.0.0.1:9999/openai', 'x-portkey-azure-deployment-id': 'dep-1' }, { url: 'http://127.0.0.1:9999/openai/deployments/dep-1/chat/completions?api-version=2024-10-21', model: 'dep-1', slug: null }],
  ['Azure without a deployment', call('gpt-4o'), { 'x-portkey-provider': 'azure-openai', 'x-portkey-azure-resource-name': 'acme' }, { error: 'invalid_request' }],
  ['custom host that is not http', call('m'), { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'file:///etc/passwd' }, { error: 'invalid_request' }],
]

for (const [name, c, headers, expected] of cases) {
  test(name, () => {
    if ('error' in expected) {
      assert.throws(() => resolveRoute(c, client, req(headers), table), (e: unknown) => e instanceof GatewayError && e.code === expected.error)
      return
    }
    const r = resolveRoute(c, client, req(headers), table)
    assert.deepEqual({ url: r.url, model: r.model, slug: r.providerSlug }, expected)
  })
}

test('auth headers follow the provider: bearer for OpenAI, api-key for Azure, none for a keyless local server', () => {
  assert.deepEqual(resolveRoute(call('@openai/gpt-4o'), client, req(), table).headers, { authorization: 'Bearer key-of-openai-0123456789' })
  assert.deepEqual(resolveRoute(call('@az/fast'), client, req(), table).headers, { 'api-key': 'key-of-az-0123456789' })
  assert.deepEqual(resolveRoute(call('@local/llama3.2'), client, req(), table).headers, {})
})

test('stream usage is requested on the client\'s behalf only where the upstream needs asking', () => {
  assert.equal(resolveRoute(call('@openai/gpt-4o', true), client, req(), table).injectStreamUsage, true)
  assert.equal(resolveRoute(call('@openai/gpt-4o', false), client, req(), table).injectStreamUsage, false)
  assert.equal(resolveRoute({ ...call('@openai/gpt-4o', true), clientWantsStreamUsage: true }, client, req(), table).injectStreamUsage, false)
})

test('Anthropic upstreams: the caller\'s version passes through natively; asked-for betas also when translated', () => {
  const native = resolveRoute({ ...call('@claude/claude-sonnet-4-5'), endpoint: 'messages', dialect: 'anthropic' }, client, req({ 'anthropic-version': '2025-01-01', 'anthropic-beta': 'context-1m-2025-08-07' }), table)
  assert.equal(native.translate, false)
  assert.equal(native.headers['anthropic-version'], '2025-01-01')
  assert.equal(native.headers['anthropic-beta'], 'context-1m-2025-08-07')
  const translated = resolveRoute(call('@claude/claude-sonnet-4-5'), client, req({ 'x-portkey-anthropic-beta': 'interleaved-thinking-2025-05-14', 'anthropic-version': '1999-01-01' }), table)
  assert.equal(translated.translate, true)
  assert.equal(translated.url, 'https://api.anthropic.com/v1/messages')
  assert.equal(translated.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14')
  assert.equal(translated.headers['anthropic-version'], '2023-06-01', 'a translated request is written for the version Switchyard speaks')
  assert.equal(translated.headers['x-api-key'], 'key-of-claude-0123456789')
})

test('a caller\'s own key goes in the form its provider documents, whichever header brought it', () => {
  const byo = (upstreamKey: string | null, upstreamAuthorization: string | null = null): Client => ({ ...client, upstreamKey, upstreamAuthorization })
  const host = (kind: string) => req({ 'x-portkey-provider': kind, 'x-portkey-custom-host': 'http://127.0.0.1:9999/v1' })
  const messages: Call = { ...call('claude-sonnet-4-5'), endpoint: 'messages', dialect: 'anthropic' }
  assert.deepEqual(resolveRoute(messages, byo('sk-ant-api03-x'), host('anthropic'), table).headers, { 'x-api-key': 'sk-ant-api03-x', 'anthropic-version': '2023-06-01' })
  // Translated (chat in, Anthropic out): still x-api-key, and Anthropic's required version.
  assert.deepEqual(resolveRoute(call('claude-sonnet-4-5'), byo('sk-ant-api03-x'), host('anthropic'), table).headers, { 'x-api-key': 'sk-ant-api03-x', 'anthropic-version': '2023-06-01' })
  assert.deepEqual(resolveRoute(messages, byo('sk-ant-oat01-x'), host('anthropic'), table).headers, { authorization: 'Bearer sk-ant-oat01-x', 'anthropic-version': '2023-06-01' })
  assert.deepEqual(resolveRoute(call('m'), byo('sk-x'), host('openai'), table).headers, { authorization: 'Bearer sk-x' })
  assert.deepEqual(resolveRoute(call('m'), byo(null, 'Basic dXNlcjpwdw=='), host('vllm'), table).headers, { authorization: 'Basic dXNlcjpwdw==' })
  assert.deepEqual(resolveRoute(call('m'), byo(null), host('ollama'), table).headers, {})
})

test('OpenAI organization and project; forwarded headers, never the one that carried the Switchyard key', () => {
  const h = { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'http://127.0.0.1:9999/v1', 'x-portkey-openai-organization': 'org-1', 'x-portkey-openai-project': 'proj_1' }
  assert.deepEqual(resolveRoute(call('m'), client, req(h), table).headers, { 'openai-organization': 'org-1', 'openai-project': 'proj_1' })
  const forward = { ...h, 'x-portkey-forward-headers': 'x-api-key,authorization,x-trace', 'x-api-key': 'proxy-key', authorization: 'Bearer sy-key', 'x-trace': 't1' }
  const viaBearer = resolveRoute(call('m'), { ...client, keyHeader: 'authorization' }, req(forward), table).headers
  assert.equal(viaBearer['x-api-key'], 'proxy-key')
  assert.equal(viaBearer['x-trace'], 't1')
  assert.equal(viaBearer.authorization, undefined)
  const viaApiKey = resolveRoute(call('m'), { ...client, keyHeader: 'x-api-key' }, req(forward), table).headers
  assert.equal(viaApiKey['x-api-key'], undefined)
  // The catalog integration's own headers win over the caller's organization.
  assert.equal(resolveRoute(call('@openai/gpt-4o'), client, req(h), table).headers['openai-organization'], 'org-1')
})

test('strict_open_ai_compliance: only an explicit false loosens', () => {
  assert.equal(resolveRoute(call('@claude/claude-sonnet-4-5'), client, req(), table).strictOpenAiCompliance, undefined)
  assert.equal(resolveRoute(call('@claude/claude-sonnet-4-5'), client, req({ 'x-portkey-strict-open-ai-compliance': 'false' }), table).strictOpenAiCompliance, false)
  assert.equal(resolveRoute(call('@claude/claude-sonnet-4-5'), client, req({ 'x-portkey-strict-open-ai-compliance': 'true' }), table).strictOpenAiCompliance, undefined)
})
