/**
 * What a provider is: mostly data on top of the shared OpenAI-compatible base (Portkey's lesson).
 * A provider file declares its base URL, auth header, endpoints, how it reports usage in streams and
 * the models it is known to serve; only providers with odd routing (Azure) add a `target` function,
 * and only those whose wire is not "POST JSON with a static auth header" (Bedrock's SigV4 and binary
 * event-stream, Vertex AI's OAuth tokens) add a `transport`. Pure: no I/O (transports do theirs when called).
 */
import type { ZodRawShape } from 'zod'
import type { IntegrationSettings } from '../../preload/contract.ts'
import type { DialectId } from '../dialects/canonical.ts'
import type { Secret } from '../vault/Secret.ts'

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

/**
 * The endpoint that carries a conversation in each wire dialect. Gemini has no gateway endpoint of its
 * own: its providers build their URLs themselves (`target`, `transport`), so its conversations count as `chat`;
 * so do Bedrock Converse's.
 */
export const chatEndpointOf: Record<DialectId, Endpoint> = { openai: 'chat', anthropic: 'messages', responses: 'responses', gemini: 'chat', converse: 'chat' }

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

/** What `target` may also need to know about the call: Google's URLs name the streaming mode. */
export type TargetCall = { stream: boolean }

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
  target?: (endpoint: Endpoint, model: string | undefined, ctx: ProviderContext, call?: TargetCall) => UpstreamTarget
  /** Providers serving several wire dialects pick one per model (Vertex AI: Claude speaks Anthropic, Gemini its own). */
  modelDialect?: (model: string, settings: IntegrationSettings) => DialectId
  /** The escape hatch for wires that are not "POST JSON to the route's URL with static auth headers". */
  transport?: Transport
  /** Secrets that are not one API key (AWS keys, a Google service-account file): how to check and label them. */
  credential?: CredentialFormat
  /** Model discovery for lists not in OpenAI's `{data:[{id}]}` shape; `get` reads a path under the base URL, auth included. */
  listModels?: (get: (path: string) => Promise<unknown>) => Promise<string[]>
  /**
   * The context a self-hosted server serves when the user has not said otherwise; longer prompts are
   * refused before sending (some servers truncate silently).
   */
  defaultContextWindow?: number
  /** Models that need no discovery call (Azure's deployments). */
  staticModels?: (ctx: ProviderContext) => string[]
  /** The price catalog's (@pydantic/genai-prices) provider id, when it is not `id`. */
  catalogId?: string
  /** Settings only this provider reads (a cloud's region, project, endpoint): schema, checks, base URL. */
  settings?: ProviderSettings
  docs: string
}

/** What is wrong with an integration's settings, naming the field (`settings.awsRegion`). */
export type SettingsProblem = { message: string; path: string }

export type ProviderSettings = {
  /** zod fields merged into the integration settings schema (registry.ts, control/schemas.ts). */
  fields: ZodRawShape
  /** `stored`: a secret is given or already stored; `secret`: the one given now, when there is one. */
  check?: (settings: IntegrationSettings, credentials: { stored: boolean; secret?: string }) => SettingsProblem | undefined
  /** The base URL when these settings give it (Azure's endpoint) instead of `baseUrl`. */
  baseUrl?: (settings: IntegrationSettings) => string | null
}

//#region transport

/** The call as the gateway would send it, for a transport to turn into the real request. */
export type OutgoingCall = {
  /** The route's URL (from `target`, or base URL + endpoint path). */
  url: string
  /** The route's headers: the integration's extra headers and, on Anthropic passthrough, the caller's version and betas. */
  headers: Record<string, string>
  /** The body in the wire dialect, `model` included. */
  body: Record<string, unknown>
  /** The route's model name, before any mapping to the provider's own ids. */
  model: string
  dialect: DialectId
  stream: boolean
}

/** What the integration behind a call holds, for its transport. */
export type TransportContext = ProviderContext & {
  /** The integration's vault secret (an API key or a credentials JSON); null when none is stored. */
  secret: Secret | null
}

export type ResponseHead = { status: number; headers: Record<string, string | string[] | undefined> }

/** Turns a response body into the wire dialect's bytes as they arrive. Throws on broken framing. */
export type BodyDecoder = { push(chunk: Buffer): Buffer | string; end(): Buffer | string }

/** The request exactly as it goes out, and how to read its answer when that is not the dialect's own. */
export type PreparedCall = {
  url: string
  /** Headers to send, auth included (`content-type` JSON and `accept` are defaulted, these win). */
  headers: Record<string, string>
  /** The exact bytes to send: what a signature covers. */
  body: Buffer
  /** A successful answer in another framing (Bedrock's event-stream): a decoder per response giving SSE, or null for as-is. */
  decodeStream?: (head: ResponseHead) => BodyDecoder | null
  /** An error answer not in the dialect's error shape (Bedrock's `{message}`): the whole body rewritten; the status is kept. */
  errorBody?: (head: ResponseHead, body: Buffer) => Buffer
}

export type Transport = {
  /** Signs, mints or reuses a token, picks the URL. Throws GatewayError, never with a secret in its message. */
  prepare(call: OutgoingCall, ctx: TransportContext): Promise<PreparedCall>
}

export type CredentialFormat = {
  /** What to give, for messages: `{"accessKeyId", "secretAccessKey", "sessionToken"?}`. */
  describe: string
  /** A problem with the secret text (never quoting it), or undefined when it is usable. */
  check(secret: string): string | undefined
  /** A recognisable, non-secret label for UIs (the end of an access key id, a service account's email). */
  hint(secret: string): string | null
}

//#endregion

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

/**
 * A self-hosted kind's API lives under its own path (`/v1` for Ollama, LM Studio, vLLM, llama.cpp:
 * the path of its default base URL). A base URL or custom host written without it (Portkey's Ollama
 * docs use `http://localhost:11434`) gets it; one that already ends with it is kept as it is.
 */
export function selfHostedBase(spec: ProviderSpec, base: string): string {
  if (spec.category !== 'self-hosted' || !spec.baseUrl) return base
  const own = new URL(spec.baseUrl).pathname.replace(/\/+$/, '')
  let path: string
  try {
    path = new URL(base).pathname.replace(/\/+$/, '')
  } catch {
    return base // refused as a URL by the caller
  }
  return own && !path.endsWith(own) ? base + own : base
}

/** USD per million tokens → integer micro-USD per million tokens. */
export function usd(perMillion: number): number {
  return Math.round(perMillion * 1_000_000)
}
