/** The values that flow through the pipeline, stage to stage. Pure types. */
import type { IncomingHttpHeaders } from 'node:http'
import type { DialectId } from '../dialects/canonical.ts'
import type { Endpoint, KnownModel, ProviderSpec, TransportContext } from '../providers/provider.ts'
import type { RouteKey } from '../routing/RoutingTable.ts'
import type { UpstreamPolicy } from '../network/upstreamHost.ts'

export type GatewayRequest = {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Buffer
  /** Epoch ms, for the usage row. */
  receivedAt: number
  /** performance.now() at arrival, for latencies. */
  startedAt: number
  /** The query string after `?`, when there was one (Claude Code's `?beta=true`), for passthrough. */
  query?: string
  /** The caller as the edge authenticated it before reading the body, and against which routing snapshot. */
  authenticated?: { table: object; client: Client }
}

/** Set when the client goes away; `callProvider` hooks `onAbort` to cancel the upstream call. */
export type Abort = { aborted: boolean; onAbort: (() => void) | null }

/** What `parse` makes of a request. */
export type Call = {
  endpoint: Endpoint
  /** The caller's wire dialect, from the endpoint it called. */
  dialect: DialectId
  body: Record<string, unknown>
  /** The model as the client wrote it (may be `@slug/model`). */
  model: string | undefined
  stream: boolean
  /** The client asked for usage in the stream itself (`stream_options.include_usage`). */
  clientWantsStreamUsage: boolean
  metadata: Record<string, string> | null
  traceId: string
  /** Gateways this request already passed through (`x-switchyard-hops`); outgoing calls carry one more. */
  hops?: number
}

/**
 * The headers `resolveRoute` reads, typed: read from the request once (parse.ts `readRouteHeaders`);
 * a config target replaces the first five (attemptView.ts `routeHeaders`) without rewriting the request.
 */
export type RouteHeaders = {
  provider?: string | undefined
  virtualKey?: string | undefined
  customHost?: string | undefined
  forwardHeaders?: string | undefined
  strictOpenAiCompliance?: string | undefined
  /** `anthropic-version` / `anthropic-beta`, or Portkey's `x-portkey-anthropic-*` spelling. */
  anthropicVersion?: string | undefined
  anthropicBeta?: string | undefined
  openaiOrganization?: string | undefined
  openaiProject?: string | undefined
  azureAdToken?: string | undefined
}

/** Who is calling: the API key's id and workspace. */
export type Client = {
  keyId: string
  workspaceId: string
  /** The client's own `Authorization`, when the gateway key came in `x-portkey-api-key` (BYO provider key). */
  upstreamAuthorization: string | null
  /**
   * The caller's own provider key, whatever header brought it (`Authorization: Bearer` beside
   * `x-portkey-api-key`, or an `x-api-key` that is not the Switchyard key); written upstream in the
   * form the provider documents. Never the Switchyard key.
   */
  upstreamKey?: string | null
  /** The header that carried the Switchyard key: never forwarded, whatever `x-portkey-forward-headers` says. */
  keyHeader?: 'x-portkey-api-key' | 'authorization' | 'x-api-key'
  /** The key's entry in the routing snapshot (scopes, provider list, default metadata). */
  key?: RouteKey
}

/** Where a call goes and how. */
export type Route = {
  /** `@slug` of a catalog provider; null for an ad-hoc custom host. */
  providerSlug: string | null
  spec: ProviderSpec
  /** The upstream's wire dialect and endpoint for this call. */
  dialect: DialectId
  endpoint: Endpoint
  /** Caller and upstream speak different dialects: request, answer and errors go through canonical types. */
  translate: boolean
  url: string
  headers: Record<string, string>
  /** The model name the upstream gets. */
  model: string
  /** What the usage row records as the model (Azure: the deployment's model). */
  pricingModel: string
  price: KnownModel | undefined
  free: boolean
  timeoutMs: number
  /** The context the upstream serves for this model, when known (self-hosted servers); null: unchecked. */
  contextWindow?: number | null
  contextPolicy?: 'refuse' | 'warn'
  /** `false` (Portkey's `strict_open_ai_compliance: false`): OpenAI chat answers from Anthropic keep its content blocks and stop reasons. */
  strictOpenAiCompliance?: boolean
  /** Ask the upstream for stream usage on the client's behalf, and hide it from the client. */
  injectStreamUsage: boolean
  /** Catalog ids of the provider and its integration (null/absent for a custom host), for limits and usage rows. */
  providerId?: string | null
  integrationId?: string | null
  /** For a provider with a `transport` (Bedrock, Vertex AI): its integration's settings and vault secret. */
  transport?: TransportContext
  /**
   * A per-request custom host (`x-portkey-custom-host`), as the caller wrote it, and the network
   * policy to check it against: `callProvider` resolves it, checks every address, and connects only
   * to those. Absent for catalog providers, which are trusted and pay no DNS lookup here.
   */
  customHost?: { url: string; policy: UpstreamPolicy }
}

import type { Usage } from '../dialects/Usage.ts'

export type { Usage }

/** How a response ended, for `recordUsage`. */
export type Outcome = {
  status: number
  usage: Usage
  ttfbMs: number | null
  latencyMs: number
  error: string | null
  /**
   * Where the usage figures come from: absent, the upstream's report; `delivered`, the client left
   * before it and the gateway counted what was sent (input at its estimate).
   */
  usageSource?: 'delivered'
}

/**
 * What the pipeline writes its answer to: the few members of Node's `ServerResponse` it uses, so a
 * non-HTTP transport (a WebSocket adapter, an in-memory test response) can stand in for it.
 */
export interface GatewayResponse {
  readonly headersSent: boolean
  readonly writableEnded: boolean
  readonly writableFinished: boolean
  readonly destroyed: boolean
  writeHead(status: number, headers?: Record<string, string | string[] | number>): this
  flushHeaders(): void
  write(chunk: string | Uint8Array): boolean
  end(chunk?: string | Uint8Array): this
  on(event: 'close', listener: () => void): this
}
