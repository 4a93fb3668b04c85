/**
 * The Control API contract: every operation the UI (or a script) may perform, by name.
 * Imports nothing. Main implements it (`main/control/`), over HTTP (`/admin/api`) for the headless
 * server and over IPC for the desktop app; the renderer only ever speaks this.
 * Secrets go in (write-only) and never come back: summaries carry a hint (last four characters) at most.
 */

export type ProviderKindId = string

export type ProviderKind = {
  id: ProviderKindId
  name: string
  /** 'hosted' needs an API key; 'self-hosted' runs on the user's machine or network. */
  category: 'hosted' | 'self-hosted' | 'azure'
  defaultBaseUrl: string | null
  needsApiKey: boolean
  docs: string
}

export type Workspace = {
  id: string
  slug: string
  name: string
  isDefault: boolean
  createdAt: number
  archivedAt: number | null
}

export type AzureDeployment = {
  /** What clients pass as `model`. */
  alias: string
  /** The deployment name in Azure. */
  deployment: string
  /** The underlying model (for pricing and display), e.g. gpt-4o. */
  model?: string
  isDefault?: boolean
}

export type IntegrationSettings = {
  /** Overrides the kind's default base URL (required for custom OpenAI-compatible servers). */
  baseUrl?: string
  /** Azure: https://<resource>.openai.azure.com (or resourceName). */
  azureEndpoint?: string
  azureResourceName?: string
  azureApiVersion?: string
  azureDeployments?: AzureDeployment[]
  /** Extra headers sent upstream on every call (non-secret). */
  headers?: Record<string, string>
  /** Request timeout in ms. */
  timeoutMs?: number
}

export type Integration = {
  id: string
  slug: string
  name: string
  kind: ProviderKindId
  settings: IntegrationSettings
  /** True when a credential is stored in the vault. The credential itself never leaves main. */
  hasCredential: boolean
  /** Last four characters of the API key, for recognition. */
  credentialHint: string | null
  /** null: available to every workspace. */
  workspaceIds: string[] | null
  createdAt: number
  updatedAt: number
}

export type IntegrationInput = {
  slug: string
  name?: string
  kind: ProviderKindId
  apiKey?: string
  settings?: IntegrationSettings
  workspaceIds?: string[] | null
}

export type AIProvider = {
  id: string
  /** Used as `@slug` in `model` or `x-portkey-provider`. */
  slug: string
  name: string
  integrationId: string
  integrationSlug: string
  kind: ProviderKindId
  createdAt: number
}

export type ModelEntry = {
  providerSlug: string
  model: string
  source: 'known' | 'discovered' | 'deployment'
  /** Price in micro-USD per million tokens, when known. */
  inputPriceMicrosPerMTok: number | null
  outputPriceMicrosPerMTok: number | null
}

export type ApiKey = {
  id: string
  name: string
  workspaceId: string
  /** First characters of the key, e.g. `sy-AbC1…`, for recognition. */
  prefix: string
  createdAt: number
  revokedAt: number | null
  lastUsedAt: number | null
}

export type CreatedApiKey = ApiKey & {
  /** Shown exactly once. Only a hash is stored. */
  key: string
}

export type UsageRow = {
  id: number
  createdAt: number
  workspaceId: string | null
  apiKeyId: string | null
  providerSlug: string | null
  model: string | null
  endpoint: string
  status: number
  stream: boolean
  latencyMs: number
  ttfbMs: number | null
  inputTokens: number | null
  outputTokens: number | null
  cachedTokens: number | null
  costMicros: number | null
  metadata: Record<string, string> | null
  traceId: string
  error: string | null
}

export type UsageQuery = {
  since?: number
  until?: number
  workspaceId?: string
  providerSlug?: string
  model?: string
  status?: 'ok' | 'error'
  traceId?: string
  limit?: number
  offset?: number
}

export type UsageSummaryQuery = Omit<UsageQuery, 'limit' | 'offset' | 'traceId'> & {
  groupBy: 'day' | 'provider' | 'model' | 'workspace' | 'apiKey'
  /** IANA zone for `day` buckets; defaults to the server's zone. */
  timeZone?: string
}

export type UsageSummaryRow = {
  key: string
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  cachedTokens: number
  costMicros: number
  avgLatencyMs: number
}

export type ApplyResult = {
  /** Entries like `integration:openai`, `provider:@openai-prod`, `key:default/ci`. */
  created: string[]
  updated: string[]
  unchanged: string[]
  /** Keys the file asked for without a value: generated now and shown this once. */
  generatedKeys: Array<{ name: string; workspace: string; key: string }>
}

export type SystemStatus = {
  version: string
  gatewayUrl: string
  vaultBackend: 'keychain' | 'keyfile'
  warnings: string[]
  dataDir: string
}

export type Commands = {
  'system:status': (a: Record<string, never>) => SystemStatus
  'providerKinds:list': (a: Record<string, never>) => ProviderKind[]
  'workspaces:list': (a: Record<string, never>) => Workspace[]
  'workspaces:create': (a: { slug: string; name?: string }) => Workspace
  'workspaces:update': (a: { id: string; name?: string; slug?: string }) => Workspace
  'integrations:list': (a: Record<string, never>) => Integration[]
  'integrations:get': (a: { id: string }) => Integration
  'integrations:create': (a: IntegrationInput) => Integration
  'integrations:update': (a: { id: string } & Partial<Omit<IntegrationInput, 'kind'>>) => Integration
  'integrations:delete': (a: { id: string }) => { deleted: true }
  'providers:list': (a: { integrationId?: string }) => AIProvider[]
  'providers:create': (a: { slug: string; name?: string; integrationId: string }) => AIProvider
  'providers:update': (a: { id: string; slug?: string; name?: string }) => AIProvider
  'providers:delete': (a: { id: string }) => { deleted: true }
  'models:list': (a: { providerSlug?: string; workspaceId?: string }) => ModelEntry[]
  'models:refresh': (a: { providerSlug: string }) => ModelEntry[]
  'keys:list': (a: { workspaceId?: string }) => ApiKey[]
  'keys:create': (a: { name: string; workspaceId?: string; key?: string }) => CreatedApiKey
  'keys:revoke': (a: { id: string }) => ApiKey
  'usage:query': (a: UsageQuery) => UsageRow[]
  'usage:summary': (a: UsageSummaryQuery) => UsageSummaryRow[]
  /** `env` supplies values for `${VAR}` references (the CLI sends the ones the document uses). */
  'config:apply': (a: { document: unknown; env?: Record<string, string> }) => ApplyResult
}

export type CommandName = keyof Commands
export type CommandInput<N extends CommandName> = Parameters<Commands[N]>[0]
export type CommandOutput<N extends CommandName> = ReturnType<Commands[N]>

export type Events = {
  'usage:recorded': UsageRow
  'catalog:changed': { reason: string }
}

export type ControlErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'upstream_error'
  | 'internal_error'

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ControlErrorCode; message: string; path?: string } }
