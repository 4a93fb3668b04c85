/** The values that flow through the pipeline, stage to stage. Pure types. */
import type { IncomingHttpHeaders } from 'node:http'
import type { Endpoint, KnownModel, ProviderSpec } from '../providers/provider.ts'

export type GatewayRequest = {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Buffer
  /** Epoch ms, for the usage row. */
  receivedAt: number
  /** performance.now() at arrival, for latencies. */
  startedAt: number
}

/** What `parse` makes of a request. */
export type Call = {
  endpoint: Endpoint
  dialect: 'openai'
  body: Record<string, unknown>
  /** The model as the client wrote it (may be `@slug/model`). */
  model: string | undefined
  stream: boolean
  /** The client asked for usage in the stream itself (`stream_options.include_usage`). */
  clientWantsStreamUsage: boolean
  metadata: Record<string, string> | null
  traceId: string
}

/** Who is calling: the API key's id and workspace. */
export type Client = {
  keyId: string
  workspaceId: string
  /** The client's own `Authorization`, when the gateway key came in `x-portkey-api-key` (BYO provider key). */
  upstreamAuthorization: string | null
}

/** Where a call goes and how. */
export type Route = {
  /** `@slug` of a catalog provider; null for an ad-hoc custom host. */
  providerSlug: string | null
  spec: ProviderSpec
  url: string
  headers: Record<string, string>
  /** The model name the upstream gets. */
  model: string
  /** What the usage row records as the model (Azure: the deployment's model). */
  pricingModel: string
  price: KnownModel | undefined
  free: boolean
  timeoutMs: number
  /** Ask the upstream for stream usage on the client's behalf, and hide it from the client. */
  injectStreamUsage: boolean
}

export type Usage = {
  inputTokens: number | null
  outputTokens: number | null
  cachedTokens: number | null
}

/** How a response ended, for `recordUsage`. */
export type Outcome = {
  status: number
  usage: Usage
  ttfbMs: number | null
  latencyMs: number
  error: string | null
}
