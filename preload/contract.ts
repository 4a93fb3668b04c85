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
  /**
   * Send the caller's own `Authorization` upstream instead of a stored key (Claude Max / OAuth users);
   * the caller then puts its Switchyard key in `x-portkey-api-key`.
   */
  useClientAuthorization?: boolean
  /** Context the server actually serves, in tokens (Ollama: its num_ctx; default 4,096 for Ollama). */
  contextWindow?: number
  /** Per model, overriding `contextWindow`. */
  contextWindows?: Record<string, number>
  /** What to do with a request longer than the context: refuse it (default) or send it with a warning. */
  contextPolicy?: 'refuse' | 'warn'
  /** Bedrock: the AWS region (us-east-1…). Required with stored keys; with a profile, the profile's region is the default. */
  awsRegion?: string
  /** Bedrock: sign with this named profile from ~/.aws/credentials and ~/.aws/config instead of stored keys. */
  awsProfile?: string
  /** Vertex AI: the Google Cloud project; default the service account's `project_id`. */
  gcpProject?: string
  /** Vertex AI: the region (us-east5, europe-west1…) or `global` (the default). */
  gcpLocation?: string
  /**
   * Bedrock, Vertex AI: the model name clients send → the provider's own id (a Bedrock model id, an
   * inference profile id or ARN; a Vertex `claude-…@date`). Built-in maps cover Anthropic's model names.
   */
  modelMap?: Record<string, string>
  /** Bedrock, Vertex AI: the `anthropic-beta` values this upstream accepts; others callers send are dropped. Default: the provider's list. */
  anthropicBetas?: string[]
}

/** Bedrock access keys, as the AWS console or `aws configure export-credentials` gives them. */
export type AwsAccessKeys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** A Google credentials file as downloaded: a service-account key (or an `authorized_user` ADC file). */
export type GoogleCredentialsFile = { type: 'service_account' | 'authorized_user'; [field: string]: unknown }

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
  /** The workspace it was created in ("workspace-created"); null: created for the whole catalog. */
  createdInWorkspaceId?: string | null
  /** New workspaces get it automatically (see `provisioning:setDefaults`). */
  autoProvision?: boolean
}

export type IntegrationInput = {
  slug: string
  name?: string
  kind: ProviderKindId
  apiKey?: string
  /**
   * Instead of `apiKey`, for providers whose secret is not one key (Bedrock: AWS keys; Vertex AI: a
   * service-account file). Stored in the vault as JSON, write-only like `apiKey`; `apiKey` may carry the same JSON as text.
   */
  credentials?: AwsAccessKeys | GoogleCredentialsFile
  settings?: IntegrationSettings
  workspaceIds?: string[] | null
  /** Create it inside this workspace: marked workspace-created and provisioned to that workspace only (unless workspaceIds says otherwise). */
  workspaceId?: string
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

/** `pattern`: exact model name or a `*` pattern (`claude-haiku-*`); `target`: `@slug/model` or `@slug/*`. */
export type ModelAlias = { pattern: string; target: string }

/** A saved routing config (Portkey's config JSON), addressable by id or slug; every save is a new version. */
export type SavedConfig = {
  id: string
  slug: string
  name: string
  version: number
  config: Record<string, unknown>
  createdAt: number
  updatedAt: number
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
  /** Cache writes and reasoning tokens (parts of input and output), when the provider reports them. */
  cacheWriteTokens?: number | null
  reasoningTokens?: number | null
  /** The integration and provider that served the call (stable across renames). */
  integrationId?: string | null
  providerId?: string | null
  /** The call passed the limits and held a reservation (what limit counters are rebuilt from). */
  admitted?: boolean
  /** What the guardrails found and did (check, action, count, where; never the matched text); null: none fired or none apply. */
  guardrails?: GuardrailResult[] | null
  /** Absent or null: the upstream reported the tokens; 'delivered': the client left first, tokens counted from what it was sent. */
  usageSource?: 'delivered' | null
  /** The targets a routing config tried, in order; null/absent: no config (one target, the row's provider). */
  attempts?: AttemptRecord[] | null
}

/** One target of a request's route through a config: what it answered, or why it was skipped. */
export type AttemptRecord = {
  /** `@slug/model`, or the custom host's URL. */
  target: string
  /** Where the target sits in the config (`config.targets[1]`). */
  jsonPath?: string
  /** The target's last HTTP status; null: it was never called. */
  status: number | null
  /** Retries spent on this target. */
  retries: number
  error?: string
  skipped?: 'circuit_open'
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
  /** Default `day`. `project` and `branch` group by the metadata keys of that name (set from coding agents' prompts, or by the client). */
  groupBy?: 'day' | 'provider' | 'model' | 'workspace' | 'apiKey' | 'project' | 'branch'
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
  // Desktop app (issue 11): pause, budget top-ups, app settings, launch at login, Claude Code's route.
  'gateway:state': (a: Record<string, never>) => GatewayState
  /** A paused gateway answers every call with 503 `gateway_paused` in the caller's format; nothing else changes. */
  'gateway:setPaused': (a: { paused: boolean }) => GatewayState
  /** A temporary grant on a scope's USD budgets until the next local midnight (default amount: `app:settings` topUpMicros). */
  'budgets:topUp': (a: { scope: LimitScopeKind; id: string; amountMicros?: number }) => BudgetGrant
  'budgets:grants': (a: { since?: number; scope?: LimitScopeKind; id?: string }) => BudgetGrant[]
  'app:settings:get': (a: Record<string, never>) => DesktopSettings
  'app:settings:set': (a: Partial<DesktopSettings>) => DesktopSettings
  /** Launch at login: the OS login item (macOS, Windows) or an XDG autostart entry (Linux). */
  'app:loginItem:get': (a: Record<string, never>) => LoginItemState
  'app:loginItem:set': (a: { enabled: boolean }) => LoginItemState
  /** Which of `app:settings` claudeRoutes the default workspace's `claude-*` alias points at. */
  'claudeRoute:get': (a: Record<string, never>) => ClaudeRouteState
  'claudeRoute:set': (a: { name: string }) => ClaudeRouteState
  'providerKinds:list': (a: Record<string, never>) => ProviderKind[]
  'workspaces:list': (a: Record<string, never>) => Workspace[]
  'workspaces:create': (a: { slug: string; name?: string }) => Workspace
  'workspaces:update': (a: { id: string; name?: string; slug?: string }) => Workspace
  /** filter (with workspaceId): all; connected = provisioned to the workspace; workspace = created in it. */
  'integrations:list': (a: { workspaceId?: string; filter?: 'all' | 'connected' | 'workspace' }) => Integration[]
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
  /** A scope's aliases, in the order they are tried (an API key's come before its workspace's). */
  'aliases:list': (a: { workspaceId?: string; apiKeyId?: string }) => ModelAlias[]
  'aliases:set': (a: { workspaceId?: string; apiKeyId?: string; aliases: ModelAlias[] }) => ModelAlias[]
  'configs:list': (a: Record<string, never>) => SavedConfig[]
  'configs:get': (a: { id: string; version?: number }) => SavedConfig
  /** Validates and saves; errors name the offending field's path (`targets[1].strategy.mode`). */
  'configs:create': (a: { slug: string; name?: string; config: Record<string, unknown> }) => SavedConfig
  'configs:update': (a: { id: string; slug?: string; name?: string; config?: Record<string, unknown> }) => SavedConfig
  'configs:delete': (a: { id: string }) => { deleted: true }
  /** `warnings`: references to providers that do not exist (yet), by path; they do not make a config invalid. */
  'configs:validate': (a: { config: unknown }) => { ok: boolean; errors: Array<{ path: string; message: string }>; warnings?: Array<{ path: string; message: string }> }
  'usage:query': (a: UsageQuery) => UsageRow[]
  'usage:summary': (a: UsageSummaryQuery) => UsageSummaryRow[]
  /** `env` supplies values for `${VAR}` references (the CLI sends the ones the document uses). */
  'config:apply': (a: { document: unknown; env?: Record<string, string> }) => ApplyResult
  // Governance: workspaces, provisioning, model access, prices, budgets and rate limits.
  'workspaces:archive': (a: { id: string; archived?: boolean }) => Workspace
  'limits:get': (a: { scope: LimitScopeKind; id: string }) => LimitPolicyView
  'limits:set': (a: { scope: LimitScopeKind; id: string; policy: LimitPolicy | null }) => LimitPolicyView
  'limits:status': (a: { scope?: LimitScopeKind; id?: string }) => LimitCounter[]
  'limitSettings:get': (a: Record<string, never>) => LimitSettings
  'limitSettings:set': (a: Partial<LimitSettings>) => LimitSettings
  'provisioning:list': (a: { integrationId: string }) => Provisioning
  'provisioning:set': (a: { integrationId: string; workspaceId: string; enabled?: boolean; limits?: LimitPolicy | null }) => Provisioning
  'provisioning:setDefaults': (a: { integrationId: string; autoProvision?: boolean; defaultLimits?: LimitPolicy | null }) => Provisioning
  'modelAccess:get': (a: { integrationId: string }) => ModelAccess
  'modelAccess:set': (a: ModelAccessChange) => ModelAccess
  'customModels:list': (a: { integrationId: string }) => CustomModel[]
  'customModels:upsert': (a: CustomModelInput) => CustomModel
  'customModels:delete': (a: { integrationId: string; model: string }) => { deleted: true }
  'pricing:list': (a: { providerSlug: string; models?: string[] }) => ModelPriceView[]
  'pricing:setIntegration': (a: { integrationId: string; price: PriceInput | null }) => { integrationId: string; price: PriceInput | null }
  'keys:get': (a: { id: string }) => ApiKeyDetails
  'keys:update': (a: ApiKeyUpdate) => ApiKeyDetails
  /** A workspace's guardrails (null: none). */
  'guardrails:get': (a: { workspaceId: string }) => WorkspaceGuardrails
  /** Replaces a workspace's guardrails whole; null removes them. */
  'guardrails:set': (a: { workspaceId: string; guardrails: GuardrailSet | null }) => WorkspaceGuardrails
  /** Custom-host policy (SSRF guard). `network:set` changes only the fields given; live for the next request. */
  'network:get': (a: Record<string, never>) => NetworkSettings
  'network:set': (a: Partial<NetworkSettings>) => NetworkSettings
  // Workbench (the window's tools): dry-run a config, try guardrails on text, app settings, tool config files.
  /** Which targets a sample request would try, in order, over a saved config (id or slug) or a draft; nothing is sent. */
  'routing:dryRun': (a: DryRunInput) => DryRunResult
  /** Runs the guardrail engine on sample text (a workspace's set or a draft set); nothing is sent or stored. */
  'guardrails:test': (a: GuardrailTestInput) => GuardrailTestResult
  'settings:get': (a: Record<string, never>) => AppSettings
  /** Changes only the fields given; port and host apply at the next start. */
  'settings:set': (a: AppSettingsChange) => AppSettings
  /** The supported coding tools, the file each one reads and whether a backup exists. */
  'tools:list': (a: Record<string, never>) => ToolInfo[]
  /** The tool's config file now and as `tools:apply` would write it (the API key masked in both). */
  'tools:preview': (a: ToolApplyInput) => ToolPreview
  /** Writes the tool's config file, keeping the previous one as a backup (once: the first original is kept). */
  'tools:apply': (a: ToolApplyInput) => ToolFileResult
  /** Puts the backup back (or removes the file when there was none before). */
  'tools:restore': (a: { tool: ToolId }) => ToolFileResult
  'attribution:get': (a: Record<string, never>) => AttributionSettings
  /** Sends a client profile's real request shapes through the live gateway to `model`; without `confirm` only says what it would send and cost. */
  'selfTest:run': (a: { profile: SelfTestProfile; model: string; workspaceId?: string; confirm?: boolean }) => SelfTestReport
  'attribution:set': (a: Partial<AttributionSettings>) => AttributionSettings
  // Usage analytics and logs (charts over time, facets for filters, the searchable log and one row's detail).
  'usage:analytics': (a: UsageAnalyticsQuery) => UsageAnalytics
  'usage:facets': (a: { since: number; until?: number }) => UsageFacets
  'usage:logs': (a: UsageLogQuery) => UsageRow[]
  'usage:get': (a: { id: number }) => UsageRow
  /** The request and response captured for a usage row, when body capture was on for it. */
  'usage:body': (a: { id: number }) => UsageBodies
}

export type CommandName = keyof Commands
export type CommandInput<N extends CommandName> = Parameters<Commands[N]>[0]
export type CommandOutput<N extends CommandName> = ReturnType<Commands[N]>

export type Events = {
  'usage:recorded': UsageRow
  'catalog:changed': { reason: string }
  /** The gateway was paused or resumed (tray, window or script). */
  'gateway:stateChanged': GatewayState
  /** A budget's spend crossed one of its alert thresholds (50/80/100 % by default) this period. */
  'budget:thresholdCrossed': BudgetAlert
  /** A config target's circuit breaker opened (skipped for a cool-down), went half-open, or closed again. */
  'target:circuitChanged': { target: string; state: 'open' | 'half_open' | 'closed'; at: number; failures: number }
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

//#region Governance: budgets, rate limits, provisioning, model access, prices

/** Where a limit applies. They cascade integration → provisioning (integration in a workspace) → provider → workspace → API key; every one that applies must allow a call, so the tightest wins. */
export type LimitScopeKind = 'integration' | 'provisioning' | 'provider' | 'workspace' | 'apiKey'

/** none: one budget for all time since `startsAt`; weekly: from Monday 00:00; monthly: from the 1st, 00:00; days: every N days from `startsAt`'s date. Local time in the budget's zone. */
export type BudgetPeriod = { kind: 'none' } | { kind: 'weekly' } | { kind: 'monthly' } | { kind: 'days'; days: number }

type BudgetCommon = {
  period: BudgetPeriod
  /** Epoch ms: when a `none` budget starts counting and the first day of an N-day period. Default: when it was set. */
  startsAt?: number
  /** Percentages of the budget that raise `budget:thresholdCrossed`; default [50, 80, 100]. */
  alertThresholds?: number[]
  /** IANA zone for resets; default the setting `limitSettings.timeZone`. */
  timeZone?: string
}

export type Budget =
  | (BudgetCommon & { unit: 'usd'; limitMicros: number })
  | (BudgetCommon & { unit: 'tokens'; limitTokens: number })

export type RateLimit = { unit: 'requests' | 'tokens'; limit: number; per: 'minute' | 'hour' | 'day' }

export type LimitPolicy = {
  budgets?: Budget[]
  rateLimits?: RateLimit[]
  /** Calls in flight at once. */
  maxConcurrent?: number | null
}

export type LimitPolicyView = { scope: LimitScopeKind; id: string; label: string; policy: LimitPolicy | null }

/** One live counter: what a limit allows, what is used, what is held by calls in flight. */
export type LimitCounter = {
  scope: LimitScopeKind
  id: string
  label: string
  kind: 'budget' | 'rate' | 'concurrency'
  unit: 'usd' | 'tokens' | 'requests' | 'calls'
  /** usd: micro-USD; tokens; requests; calls in flight. */
  limit: number
  used: number
  reserved: number
  period: string
  periodStart: number | null
  /** When the budget resets (epoch ms); null for totals and rate windows. */
  resetAt: number | null
  exhausted: boolean
}

/**
 * Which per-request custom hosts (`x-portkey-custom-host`) the gateway may reach. Private, link-local,
 * CGNAT, multicast, reserved and cloud-metadata addresses are refused unless listed in `allowHosts`.
 */
export type NetworkSettings = {
  /** Custom hosts on this machine (127.0.0.0/8, ::1): on by default for local model servers. */
  allowLoopback: boolean
  /** Hostnames (`gpu.lan`, `*.corp.example`), IP addresses and CIDRs (`192.168.1.0/24`, `fd00::/8`). */
  allowHosts: string[]
}

export type SelfTestProfile = 'claude-code' | 'codex' | 'openai-sdk'

export type SelfTestStep = {
  name: string
  ok: boolean
  /** Why the step did not run (e.g. the target takes no reasoning). */
  skipped?: string
  status: number | null
  latencyMs: number
  /** What differed from what the client expects: model renamed, usage missing, thinking dropped… */
  notes: string[]
}

/** `ran: false`: the plan and its cost, nothing sent; send again with `confirm: true` to run it. */
export type SelfTestReport = {
  profile: SelfTestProfile
  model: string
  ran: boolean
  /** Upper bound before running: the steps' output caps plus their estimated input. */
  estimate: { requests: number; maxTokens: number }
  steps: SelfTestStep[]
  /** From the usage rows of the run (trace ids `selftest-…`). */
  used: { inputTokens: number; outputTokens: number; costMicros: number } | null
}

/** Project and branch attribution read from coding agents' prompts (Claude Code, Codex) into usage metadata. */
export type AttributionSettings = {
  /** Default true. */
  enabled: boolean
}

export type LimitSettings = {
  /** IANA zone budgets reset in (default: this machine's). */
  timeZone: string
  /** Output tokens reserved for a call that sets no maximum and whose model has none known. */
  defaultMaxOutputTokens: number
}

export type BudgetAlert = {
  scope: LimitScopeKind
  id: string
  label: string
  unit: 'usd' | 'tokens'
  /** The percentage crossed (50, 80, 100…). */
  threshold: number
  limit: number
  spent: number
  periodStart: number
  resetAt: number | null
  at: number
}

export type Provisioning = {
  integrationId: string
  /** New workspaces get this integration, with `defaultLimits`. */
  autoProvision: boolean
  defaultLimits: LimitPolicy | null
  workspaces: Array<{ workspaceId: string; slug: string; enabled: boolean; limits: LimitPolicy | null; usesDefaultLimits: boolean }>
}

export type ModelAccess = {
  integrationId: string
  /** Models without an explicit choice (new or unknown ones) are enabled. */
  autoEnableNew: boolean
  models: Array<{ model: string; enabled: boolean; explicit: boolean; source: 'known' | 'discovered' | 'deployment' | 'custom' }>
}

export type ModelAccessChange = {
  integrationId: string
  autoEnableNew?: boolean
  enable?: string[]
  disable?: string[]
  /** Applied first: enable or disable every model listed now, or forget every explicit choice. */
  all?: 'enable' | 'disable' | 'reset'
}

/** Integer micro-USD per million tokens. */
export type PriceInput = {
  inputMicrosPerMTok: number
  outputMicrosPerMTok: number
  cacheReadMicrosPerMTok?: number
  cacheWriteMicrosPerMTok?: number
  reasoningMicrosPerMTok?: number
}

export type CustomModel = {
  integrationId: string
  model: string
  /** override: a price or limits for a model the provider already serves; the others add a model. */
  kind: 'fine-tuned' | 'self-hosted' | 'private' | 'override'
  price: PriceInput | null
  maxInputTokens: number | null
  maxOutputTokens: number | null
  updatedAt: number
}

export type CustomModelInput = Omit<CustomModel, 'updatedAt' | 'price' | 'maxInputTokens' | 'maxOutputTokens' | 'kind'> & {
  kind?: CustomModel['kind']
  price?: PriceInput | null
  maxInputTokens?: number | null
  maxOutputTokens?: number | null
}

export type ModelPriceView = {
  providerSlug: string
  model: string
  price: (PriceInput & { tiers?: Array<{ aboveInputTokens: number } & PriceInput> }) | null
  source: { kind: 'catalog' | 'builtin' | 'custom-model' | 'custom-integration' | 'self-hosted'; ref: string; url?: string } | null
  maxInputTokens: number | null
  maxOutputTokens: number | null
}

export type ApiKeyDetails = ApiKey & {
  /** Epoch ms after which the key is refused; null: never. */
  expiresAt: number | null
  /** Endpoints the key may call ('chat', 'completions', 'embeddings', 'models', …); null: all. */
  scopes: string[] | null
  /** Provider slugs the key may use; null: all its workspace may use. */
  providerSlugs: string[] | null
  /** Merged into every request's metadata; these values win over the request's. */
  defaultMetadata: Record<string, string> | null
  /** A routing config applied to every request of this key (Portkey's default config). */
  defaultConfig: Record<string, unknown> | null
  limits: LimitPolicy | null
}

/** The endpoints an API key can be limited to. */
export type ApiKeyScope = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'count_tokens' | 'responses'

export type ApiKeyUpdate = {
  id: string
  name?: string
  expiresAt?: number | null
  scopes?: ApiKeyScope[] | null
  providerSlugs?: string[] | null
  defaultMetadata?: Record<string, string> | null
  defaultConfig?: Record<string, unknown> | null
  limits?: LimitPolicy | null
}

//#endregion

//#region Guardrails: checks before the request and after the response (workspaces now, configs later)

/** What a check does when it fires: record it only, replace what it found with placeholders, or refuse the call. */
export type GuardrailAction = 'log' | 'redact' | 'block'

/** Built-in detectors. Secrets: provider and cloud keys, private keys, JWTs, `.env` assignments. PII: the rest. */
export type GuardrailDetector =
  | 'openai_key'
  | 'anthropic_key'
  | 'aws_access_key'
  | 'aws_secret_key'
  | 'github_token'
  | 'slack_token'
  | 'google_api_key'
  | 'stripe_key'
  | 'azure_storage_key'
  | 'private_key'
  | 'jwt'
  | 'env_secret'
  | 'email'
  | 'phone'
  | 'credit_card'
  | 'iban'
  | 'us_ssn'

type GuardrailCheckCommon<Action = GuardrailAction> = {
  /** Names the check in errors, logs and usage rows; default: its type. */
  id?: string
  action: Action
}

/**
 * One check. `secrets` / `pii`: the built-in detectors (all of the family unless `detectors` lists some).
 * `regex`: `mode: 'forbid'` (default) fires on every match, `'require'` when nothing matches. `contains`:
 * Portkey's operators, the condition the text must meet (`none` of the words, `any`, `all`).
 * `length` and `json_schema` look at the response text (outputs only). Only checks that find spans
 * (secrets, pii, regex forbid, contains none) can `redact`.
 */
export type GuardrailCheck =
  | (GuardrailCheckCommon & { type: 'secrets' | 'pii'; detectors?: GuardrailDetector[] })
  | (GuardrailCheckCommon & { type: 'regex'; pattern: string; flags?: string; mode?: 'forbid' | 'require' })
  | (GuardrailCheckCommon & { type: 'contains'; words: string[]; operator: 'none' | 'any' | 'all'; caseSensitive?: boolean })
  | (GuardrailCheckCommon<'log' | 'block'> & { type: 'length'; min?: number; max?: number; unit?: 'characters' | 'words' })
  | (GuardrailCheckCommon<'log' | 'block'> & { type: 'json_schema'; schema: Record<string, unknown> })

/**
 * Checks on the request (`input`: message text, tool-call arguments, tool results, system prompt) and on a
 * non-streamed response (`output`). Attached to a workspace; routing configs will reference the same shape.
 */
export type GuardrailSet = { input?: GuardrailCheck[]; output?: GuardrailCheck[] }

export type WorkspaceGuardrails = { workspaceId: string; guardrails: GuardrailSet | null }

/** What one check found in one call, as stored on the usage row: never the matched text. */
export type GuardrailResult = {
  check: string
  stage: 'input' | 'output'
  action: GuardrailAction
  /** Findings (secrets, PII, matches) or 1 for a failed condition. */
  count: number
  /** Where: system, message, tool_call, tool_result, tool_definition, response. */
  where: string[]
  /** Which detectors fired (secrets and pii). */
  detectors?: GuardrailDetector[]
  /** Why a condition failed (length, json_schema, require, contains any/all). */
  reason?: string
  /** The check could not run (a streamed response). */
  skipped?: string
}

//#endregion

//#region Workbench: config dry-run, guardrail test box, app settings, coding-tool config files

export type DryRunInput = {
  /** A saved config's id or slug, or a draft config object. */
  config: string | Record<string, unknown>
  /** The request's `model`. */
  model?: string
  /** Other body parameters conditions may read (`params.*`). */
  params?: Record<string, unknown>
  metadata?: Record<string, string>
}

export type DryRunAttempt = {
  /** `config.targets[1]`: where in the config the target is. */
  jsonPath: string
  name: string | null
  /** `@slug`, a provider kind, or null (virtual key only). */
  provider: string | null
  /** The model it would be asked for (override_params.model, else the request's). */
  model: string | null
  retries: number
  /** Statuses after which the next attempt is tried; null: any failure; [] for the last attempt. */
  fallbackOn: number[] | null
  /** True when the target carries its own `api_key` (never shown). */
  hasApiKey: boolean
}

export type DryRunResult = {
  attempts: DryRunAttempt[]
  /** A load-balanced group drew one target at random: another run may pick another. */
  random: boolean
}

export type GuardrailTestInput = {
  text: string
  stage?: 'input' | 'output'
  /** The set to run: a workspace's (id or slug) or a draft. */
  workspaceId?: string
  guardrails?: GuardrailSet
}

export type GuardrailTestResult = {
  results: GuardrailResult[]
  blocked: { check: string; message: string } | null
  /** The text as it would be sent on (placeholders in place of redacted spans). */
  text: string
}

/** A call's captured bodies (Settings → body capture; secrets redacted), or that none were kept. */
export type UsageBodies =
  | { captured: false }
  | { captured: true; request: string | null; response: string | null; requestTruncated: boolean; responseTruncated: boolean }

export type AppSettings = {
  /** The gateway's port and bind address at the next start (command-line flags and env vars win). */
  port: number
  host: string
  /** Where the database and vault live (read-only here: set with --data-dir). */
  dataDir: string
  /** Usage rows older than this are deleted (daily and on change); null keeps everything. */
  logRetentionDays: number | null
  /** Keep request and response bodies with the logs (secrets always redacted). Off by default. */
  bodyCapture: boolean
  /** Default budget alert thresholds (percent) for budgets that set none. */
  notifyThresholds: number[]
  /** Start with the OS session (the desktop app applies it). */
  launchAtLogin: boolean
  /** Where the vault's data key is kept. */
  vaultBackend: 'keychain' | 'keyfile'
}

export type AppSettingsChange = Partial<Omit<AppSettings, 'dataDir' | 'vaultBackend'>>

export type ToolId = 'claude-code' | 'codex' | 'continue' | 'cline' | 'openai'

export type ToolInfo = {
  id: ToolId
  name: string
  /** The file `tools:apply` writes; null when the tool keeps its settings elsewhere (copy them by hand). */
  path: string | null
  exists: boolean
  hasBackup: boolean
  /** The settings to enter by hand, with `<your Switchyard key>` in place of the key. */
  manual: string
}

export type ToolApplyInput = {
  tool: ToolId
  /** A Switchyard API key to write (Claude Code, Continue); Codex reads it from SWITCHYARD_API_KEY instead. */
  apiKey?: string
  /** The model the tool should ask for. */
  model?: string
}

export type ToolPreview = { tool: ToolId; path: string; before: string | null; after: string }

export type ToolFileResult = { tool: ToolId; path: string; backupPath: string | null; restored?: boolean }

//#endregion

//#region Desktop app: gateway pause, budget top-ups, app settings, launch at login

export type GatewayState = { paused: boolean; pausedAt: number | null }

/** Extra room on a scope's USD budgets, granted by hand ("+$5 today"); its own row, so reports show it. */
export type BudgetGrant = {
  id: string
  scope: LimitScopeKind
  scopeId: string
  unit: 'usd'
  amountMicros: number
  grantedAt: number
  /** The next local midnight (limit settings' zone) after `grantedAt`. */
  expiresAt: number
  note: string | null
}

/** One choice for the model Claude Code's requests go to: the default workspace's `claude-*` alias target. */
export type ClaudeRouteChoice = { name: string; target: string }

export type ClaudeRouteState = { choices: ClaudeRouteChoice[]; current: string | null }

export type DesktopSettings = {
  /** The tray's and notifications' top-up amount, micro-USD (default 5 000 000 = $5). */
  topUpMicros: number
  /** Native notifications at budget thresholds, provider failures, expiring keys. */
  notifications: boolean
  claudeRoutes: ClaudeRouteChoice[]
}

export type LoginItemState = { supported: boolean; enabled: boolean; mechanism: 'login-item' | 'xdg-autostart' | 'none' }


//#region Usage analytics and logs

/** What charts can be grouped by; `metadata:<key>` groups by any request metadata key. */
export type UsageDimension = 'workspace' | 'provider' | 'model' | 'apiKey' | 'project' | 'branch'

/** Filters shared by charts and logs. `project` and `branch` are request metadata keys. */
export type UsageFilter = {
  since: number
  until?: number
  workspaceId?: string
  providerSlug?: string
  model?: string
  apiKeyId?: string
  project?: string
  branch?: string
  /** Other metadata keys, matched exactly; read from the rows themselves (slower than the rollup). */
  metadata?: Record<string, string>
}

export type UsageAnalyticsQuery = UsageFilter & {
  groupBy?: UsageDimension | `metadata:${string}`
  /** Minutes east of UTC of the viewer, so day buckets start at local midnight. */
  utcOffsetMinutes?: number
  /** Groups beyond this many (by cost, then requests) are summed into "(other)"; default 8. */
  maxGroups?: number
}

/** One bucket's (or a whole range's) figures. Percentiles are estimated from fixed-bin histograms. */
export type UsageMetrics = Omit<UsageSummaryRow, 'key' | 'avgLatencyMs'> & {
  avgLatencyMs: number | null
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  ttfbP50Ms: number | null
  ttfbP95Ms: number | null
}

export type UsageSeries = { key: string; totals: UsageMetrics; points: UsageMetrics[] }

export type UsageAnalytics = {
  bucketMs: number
  /** Start of each bucket (epoch ms); `points` of every series line up with it. */
  buckets: number[]
  total: UsageSeries
  groups: UsageSeries[]
  /** `rollup`: the hourly rollup table; `rows`: the usage rows (short ranges, arbitrary metadata). */
  source: 'rollup' | 'rows'
}

/** Values seen in a time range, for the filter menus. */
export type UsageFacets = {
  workspaces: string[]
  providers: string[]
  models: string[]
  apiKeys: string[]
  projects: string[]
  branches: string[]
  metadataKeys: string[]
}

/** The log list: newest first, paged by the last row seen (stable while new rows arrive). */
export type UsageLogQuery = Partial<UsageFilter> & {
  status?: 'ok' | 'error'
  /** Matched (case-insensitively, as a substring) against model, provider, trace id, error and metadata. */
  search?: string
  before?: { createdAt: number; id: number }
  limit?: number
}

//#endregion
