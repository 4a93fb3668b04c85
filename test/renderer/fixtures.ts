/**
 * Small, typed sample records for renderer store tests, built from the contract's types.
 */
import type {
  AIProvider,
  ApiKey,
  Integration,
  ProviderKind,
  SavedConfig,
  UsageRow,
  UsageSummaryRow,
  Workspace,
} from '../../preload/contract.ts'

export const kinds: ProviderKind[] = [
  { id: 'openai', name: 'OpenAI', category: 'hosted', defaultBaseUrl: 'https://api.openai.com/v1', needsApiKey: true, docs: '' },
  { id: 'ollama', name: 'Ollama', category: 'self-hosted', defaultBaseUrl: 'http://127.0.0.1:11434/v1', needsApiKey: false, docs: '' },
  { id: 'azure-openai', name: 'Azure OpenAI', category: 'azure', defaultBaseUrl: null, needsApiKey: true, docs: '' },
]

export function workspace(over: Partial<Workspace> = {}): Workspace {
  return { id: 'ws_default', slug: 'default', name: 'Default', isDefault: true, createdAt: 1, archivedAt: null, ...over }
}

export function integration(over: Partial<Integration> = {}): Integration {
  return {
    id: 'int_1',
    slug: 'openai-main',
    name: 'OpenAI',
    kind: 'openai',
    settings: {},
    hasCredential: true,
    credentialHint: 'abcd',
    workspaceIds: null,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  }
}

export function provider(over: Partial<AIProvider> = {}): AIProvider {
  return {
    id: 'prv_1',
    slug: 'openai-test',
    name: 'OpenAI test',
    integrationId: 'int_1',
    integrationSlug: 'openai-main',
    kind: 'openai',
    createdAt: 1,
    ...over,
  }
}

export function apiKey(over: Partial<ApiKey> = {}): ApiKey {
  return { id: 'key_1', name: 'laptop', workspaceId: 'ws_default', prefix: 'sy-AbC1', createdAt: 1, revokedAt: null, lastUsedAt: null, ...over }
}

export function usageRow(over: Partial<UsageRow> = {}): UsageRow {
  return {
    id: 1,
    createdAt: 1_000,
    workspaceId: 'ws_default',
    apiKeyId: 'key_1',
    providerSlug: 'openai-test',
    model: 'gpt-4o',
    endpoint: '/v1/chat/completions',
    status: 200,
    stream: false,
    latencyMs: 420,
    ttfbMs: 100,
    inputTokens: 10,
    outputTokens: 20,
    cachedTokens: 0,
    costMicros: 1_234,
    metadata: null,
    traceId: 'trace_1',
    error: null,
    ...over,
  }
}

export function summaryRow(over: Partial<UsageSummaryRow> = {}): UsageSummaryRow {
  return { key: 'openai-test', requests: 1, errors: 0, inputTokens: 10, outputTokens: 20, cachedTokens: 0, costMicros: 1_234, avgLatencyMs: 420, ...over }
}

export function savedConfig(over: Partial<SavedConfig> = {}): SavedConfig {
  return {
    id: 'cfg_1',
    slug: 'fallback',
    name: 'Fallback',
    version: 1,
    config: { strategy: { mode: 'fallback' }, targets: [{ provider: '@openai-test' }, { provider: '@anthropic' }] },
    createdAt: 1,
    updatedAt: 1,
    ...over,
  }
}
