/**
 * What a provider is: mostly data on top of the shared OpenAI-compatible base (Portkey's lesson).
 * A provider file declares its base URL, auth header, endpoints, how it reports usage in streams and
 * the models it is known to serve; only providers with odd routing (Azure) add a `target` function.
 * Pure: no I/O.
 */
import type { IntegrationSettings } from '../../preload/contract.ts'
import type { DialectId } from '../dialects/canonical.ts'

export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'count_tokens' | 'responses'

export const endpointPath: Record<Endpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  models: '/models',
  messages: '/messages',
  count_tokens: '/messages/count_tokens',
  responses: '/responses',
}

/** The endpoint that carries a conversation in each wire dialect. */
export const chatEndpointOf: Record<DialectId, Endpoint> = { openai: 'chat', anthropic: 'messages', responses: 'responses' }

/** Prices are integer micro-USD per million tokens (USD 2.50 / 1M tokens → 2_500_000). */
export type KnownModel = {
  id: string
  inputPrice?: number
  outputPrice?: number
  cachedInputPrice?: number
}

/**
 * How the upstream reports usage when streaming:
 * - `stream_options`: only when asked with `stream_options.include_usage` (OpenAI and most clones);
 *   the gateway asks on the client's behalf and hides the extra usage from clients that did not ask.
 * - `always`: a final chunk carries `usage` without being asked (Mistral, OpenRouter, Perplexity…).
 * - `none`: no usage in streams.
 */
export type StreamUsage = 'stream_options' | 'always' | 'none'

export type ProviderContext = {
  baseUrl: string
  settings: IntegrationSettings
}

export type UpstreamTarget = {
  url: string
  /** Model name to write into the body (the bare name, without `@slug/`). */
  model: string
  /** Model used for pricing (Azure: the deployment's underlying model). */
  pricingModel: string
}

export type ProviderSpec = {
  id: string
  name: string
  category: 'hosted' | 'self-hosted' | 'azure'
  /** The wire it speaks for conversations; callers in another dialect are translated to it. */
  dialect: DialectId
  /** Caller dialects it serves natively, bytes passed through (default: just `dialect`). */
  nativeDialects?: readonly DialectId[]
  /** Default base URL including the version prefix; null when the user must give one. */
  baseUrl: string | null
  needsApiKey: boolean
  authHeaders: (apiKey: string) => Record<string, string>
  streamUsage: StreamUsage
  endpoints: readonly Endpoint[]
  knownModels: readonly KnownModel[]
  /** Request fields the upstream rejects; removed before sending. */
  dropParams?: readonly string[]
  /** Where to send a call; the default is `baseUrl + endpointPath`. */
  target?: (endpoint: Endpoint, model: string | undefined, ctx: ProviderContext) => UpstreamTarget
  /**
   * The context a self-hosted server serves when the user has not said otherwise; longer prompts are
   * refused before sending (some servers truncate silently).
   */
  defaultContextWindow?: number
  /** Models that need no discovery call (Azure's deployments). */
  staticModels?: (ctx: ProviderContext) => string[]
  docs: string
}

export function bearer(): (apiKey: string) => Record<string, string> {
  return (apiKey) => ({ authorization: `Bearer ${apiKey}` })
}

export function header(name: string): (apiKey: string) => Record<string, string> {
  return (apiKey) => ({ [name]: apiKey })
}

/** Defaults for OpenAI-compatible providers: chat, completions, embeddings, models. */
export function defineProvider(
  spec: Omit<ProviderSpec, 'dialect' | 'authHeaders' | 'endpoints' | 'knownModels' | 'needsApiKey' | 'category'> &
    Partial<Pick<ProviderSpec, 'dialect' | 'authHeaders' | 'endpoints' | 'knownModels' | 'needsApiKey' | 'category'>>,
): ProviderSpec {
  return {
    dialect: 'openai',
    category: 'hosted',
    needsApiKey: true,
    authHeaders: bearer(),
    endpoints: ['chat', 'completions', 'embeddings', 'models'],
    knownModels: [],
    ...spec,
  }
}

/** A self-hosted OpenAI-compatible server on the user's machine: no key needed, zero cost. */
export function defineSelfHosted(spec: Pick<ProviderSpec, 'id' | 'name' | 'baseUrl' | 'docs'> & Partial<ProviderSpec>): ProviderSpec {
  return defineProvider({ category: 'self-hosted', needsApiKey: false, streamUsage: 'stream_options', ...spec })
}

/** USD per million tokens → integer micro-USD per million tokens. */
export function usd(perMillion: number): number {
  return Math.round(perMillion * 1_000_000)
}
