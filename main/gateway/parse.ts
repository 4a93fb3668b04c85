/**
 * Stage 1: turns raw bytes into a `Call`: which endpoint, the JSON body, model, stream flag,
 * metadata and trace id. Rejects malformed input with a precise message; never looks at keys.
 */
import type { CallerDialectId } from '../dialects/canonical.ts'
import type { Endpoint } from '../providers/provider.ts'
import { traceId } from '../ids.ts'
import { GatewayError } from './GatewayError.ts'
import { parseJsonBytes, scanJson } from './jsonBytes.ts'
import { hopsOf } from './hops.ts'
import { deferredArray, LAZY_BODY_BYTES, lazyBody } from './lazyBody.ts'
import { keepRaw } from './wireBody.ts'
import type { Call, GatewayRequest, RouteHeaders } from './types.ts'

const MAX_JSON_DEPTH = 512

/** Which dialect each endpoint speaks. */
export const dialectOf: Record<Endpoint, CallerDialectId> = {
  chat: 'openai',
  completions: 'openai',
  embeddings: 'openai',
  models: 'openai',
  messages: 'anthropic',
  count_tokens: 'anthropic',
  responses: 'responses',
}

export function parse(req: GatewayRequest, endpoint: Endpoint): Call {
  // Deeper than any real request (tool schemas nest a few dozen levels): refused before anything parses or walks it.
  const scan = scanJson(req.body, MAX_JSON_DEPTH)
  if (scan.tooDeep) throw new GatewayError('invalid_request', `request body nests deeper than ${MAX_JSON_DEPTH} levels`)
  // A large body's large members (an agent's tools) are parsed when a stage first reads them (lazyBody.ts).
  let body: unknown = scan.members && req.body.length >= LAZY_BODY_BYTES ? lazyBody(req.body, scan.members) : null
  if (body === null) {
    try {
      body = parseJsonBytes(req.body)
    } catch (err) {
      throw new GatewayError('invalid_json', `request body is not valid JSON: ${(err as Error).message}`)
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new GatewayError('invalid_request', 'request body must be a JSON object')
  }
  const b = body as Record<string, unknown>
  if (b.model !== undefined && typeof b.model !== 'string') {
    throw new GatewayError('invalid_request', "'model' must be a string", { param: 'model' })
  }
  if ((endpoint === 'chat' || endpoint === 'messages' || endpoint === 'count_tokens') && !(deferredArray(b, 'messages') ?? Array.isArray(b.messages))) {
    throw new GatewayError('invalid_request', "'messages' is required and must be an array", { param: 'messages' })
  }
  // `in`, not `=== undefined`: JSON has no undefined, and reading a deferred member would parse it.
  if (endpoint === 'completions' && !('prompt' in b)) {
    throw new GatewayError('invalid_request', "'prompt' is required", { param: 'prompt' })
  }
  if ((endpoint === 'embeddings' || endpoint === 'responses') && !('input' in b)) {
    throw new GatewayError('invalid_request', "'input' is required", { param: 'input' })
  }
  keepRaw(b, req.body, scan.model, scan.utf8Known) // passthrough may forward these bytes instead of re-serialising
  const stream = b.stream === true
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined
  return {
    endpoint,
    dialect: dialectOf[endpoint],
    body: b,
    model: typeof b.model === 'string' && b.model !== '' ? b.model : undefined,
    stream,
    clientWantsStreamUsage: stream && dialectOf[endpoint] === 'openai' && streamOptions?.include_usage === true,
    metadata: parseMetadata(header(req, 'x-portkey-metadata')),
    traceId: header(req, 'x-portkey-trace-id') ?? traceId(req.receivedAt), // time-ordered: the usage index appends
    hops: hopsOf(req.headers),
  }
}

/** Every header route resolution reads, once per request. */
export function readRouteHeaders(req: Pick<GatewayRequest, 'headers'>): RouteHeaders {
  return {
    provider: header(req, 'x-portkey-provider'),
    virtualKey: header(req, 'x-portkey-virtual-key'),
    customHost: header(req, 'x-portkey-custom-host'),
    forwardHeaders: header(req, 'x-portkey-forward-headers'),
    strictOpenAiCompliance: header(req, 'x-portkey-strict-open-ai-compliance'),
    anthropicVersion: header(req, 'anthropic-version') ?? header(req, 'x-portkey-anthropic-version'),
    anthropicBeta: header(req, 'anthropic-beta') ?? header(req, 'x-portkey-anthropic-beta'),
    openaiOrganization: header(req, 'x-portkey-openai-organization'),
    openaiProject: header(req, 'x-portkey-openai-project'),
    azureAdToken: header(req, 'x-portkey-azure-ad-token'),
  }
}

export function header(req: Pick<GatewayRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** `x-portkey-metadata`: a JSON object; values are kept as strings (Portkey's rule). */
export function parseMetadata(raw: string | undefined): Record<string, string> | null {
  if (raw === undefined || raw === '') return null
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new GatewayError('invalid_request', 'x-portkey-metadata must be a JSON object, e.g. {"_user":"alice"}')
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'x-portkey-metadata must be a JSON object, e.g. {"_user":"alice"}')
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === null || typeof v === 'object') {
      throw new GatewayError('invalid_request', `x-portkey-metadata.${k} must be a string, number or boolean`)
    }
    out[k] = String(v)
  }
  return out
}
