/**
 * Google Vertex AI: Claude through rawPredict / streamRawPredict and Gemini through generateContent /
 * streamGenerateContent?alt=sse, one integration for both, chosen by model name. Claude speaks Anthropic
 * Messages (Claude Code and the Anthropic SDK pass through) with the body's `model` removed and
 * `anthropic_version: "vertex-2023-10-16"` added; Gemini speaks generateContent (every caller is
 * translated). Auth is an OAuth access token minted from the service-account key stored in the vault, or
 * from the user's application-default credentials when none is stored, cached until shortly before it
 * expires and forgotten when Vertex answers 401. Google-shaped errors on the Claude path are rewritten
 * as Anthropic errors.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude and
 * https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference
 */
import { createHash, createPrivateKey } from 'node:crypto'
import { anthropicError } from '../dialects/anthropic/error.ts'
import { geminiError } from '../dialects/gemini/error.ts'
import { GatewayError } from '../errors/GatewayError.ts'
import { redact } from '../log.ts'
import { anthropicBetas, betaFilter } from './anthropicBetas.ts'
import { googleAuth, type GoogleAuthDeps, type GoogleTokenSource } from './google/googleAuth.ts'
import { GoogleAuthError } from './google/GoogleAuthError.ts'
import { isClaudeOnVertex, vertexClaudeAliases, vertexModelId } from './google/vertexModelId.ts'
import { vertexSettings } from './google/vertexSettings.ts'
import { defineProvider, type OutgoingCall, type PreparedCall, type ResponseHead, type TransportContext } from './provider.ts'

export const vertexAnthropicVersion = 'vertex-2023-10-16'
export const defaultVertexLocation = 'global'

/**
 * Betas Claude on Vertex is reported to refuse ("Unexpected value(s) … for the `anthropic-beta`
 * header"): github.com/anthropics/claude-code/issues/12429 and /34802,
 * github.com/anthropics/claude-agent-sdk-typescript/issues/307, github.com/vercel/ai/issues/10981,
 * github.com/tombii/better-ccflare/issues/47; and the Files API and MCP connector, which Anthropic
 * documents for its own API only. Every other beta passes; `settings.anthropicBetas` replaces this with an allow-list.
 */
export const vertexRefusedBetas: readonly string[] = [
  'oauth-2025-04-20', 'web-search-2025-03-05', 'effort-2025-11-24', 'adaptive-thinking-2026-01-28', 'tool-search-tool-2025-10-19',
  'structured-outputs-2025-11-13', 'files-api-2025-04-14', 'mcp-client-2025-04-04',
]

const authDeps: GoogleAuthDeps = {
  // A token endpoint that hangs must not hold calls forever.
  fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(30_000) }),
}

/** `{location}` filled in; the global endpoint has no regional host prefix. */
function endpointFor(baseUrl: string, location: string): string {
  const base = location === 'global' ? baseUrl.replace('{location}-', '') : baseUrl
  return base.replace('{location}', location).replace(/\/+$/, '')
}

function modelUrl(base: string, project: string, location: string, model: string, stream: boolean, claude: boolean): string {
  const publisher = claude ? 'anthropic' : 'google'
  const method = claude ? (stream ? 'streamRawPredict' : 'rawPredict') : stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
  // `@` stays as it is in Claude's versioned ids (`claude-sonnet-4-5@20250929`), as Vertex documents them.
  const id = encodeURIComponent(model).replace(/%40/g, '@')
  return `${base}/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/${publisher}/models/${id}:${method}`
}

//#region credentials

function parseCredentials(secret: string): Record<string, unknown> | string {
  let json: unknown
  try {
    json = JSON.parse(secret)
  } catch {
    return 'credentials must be a Google service-account key file (JSON)'
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'credentials must be a JSON object'
  return json as Record<string, unknown>
}

/** Registers the parts of a credentials file that must never reach a log, raw and as they appear in JSON. */
function redactParts(json: Record<string, unknown>): void {
  for (const field of ['private_key', 'refresh_token', 'client_secret']) {
    const value = json[field]
    if (typeof value !== 'string') continue
    redact(value)
    redact(JSON.stringify(value).slice(1, -1))
  }
}

/** One token source per credentials (so one token cache), shared by every call through them. */
const sources = new Map<string, Promise<GoogleTokenSource>>()

function tokenSourceFor(ctx: TransportContext): Promise<GoogleTokenSource> {
  const secret = ctx.secret?.reveal()
  const key = secret ? createHash('sha256').update(secret).digest('hex') : 'application-default'
  let source = sources.get(key)
  if (!source) {
    source = secret
      ? Promise.resolve().then(() => {
          const json = parseCredentials(secret)
          if (typeof json === 'string') throw new GoogleAuthError('bad_credentials_file', `the stored ${json}`)
          redactParts(json)
          return googleAuth.fromJson(json, authDeps, 'the stored Google credentials')
        })
      : googleAuth.fromApplicationDefault(authDeps)
    if (sources.size > 100) sources.clear()
    sources.set(key, source)
    source.catch(() => sources.delete(key))
  }
  return source
}

function authFailure(err: unknown): never {
  if (err instanceof GoogleAuthError) throw new GatewayError('provider_unreachable', `Vertex AI: ${err.message}`, { cause: err })
  throw err
}

//#endregion

/** Headers the integration adds (its own `headers` setting); Anthropic's are handled per call. */
function extraHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith('anthropic-')) out[k] = v
  return out
}

/** Vertex's own errors (auth, quota, unknown model) come in Google's shape even for Claude: made Anthropic's. */
function claudeErrorBody(head: ResponseHead, body: Buffer): Buffer {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    parsed = body.toString('utf8')
  }
  if (typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'error') return body
  return Buffer.from(JSON.stringify(anthropicError.fromCanonical(geminiError.toCanonical(head.status, parsed)).body))
}

async function prepare(call: OutgoingCall, ctx: TransportContext): Promise<PreparedCall> {
  const { settings } = ctx
  const source = await tokenSourceFor(ctx).catch(authFailure)
  const project = settings.gcpProject ?? source.projectId ?? source.quotaProjectId
  if (!project) throw new GatewayError('provider_unreachable', 'Vertex AI needs a project: set settings.gcpProject (the credentials name none)')
  const token = await source.accessToken().catch(authFailure)
  const location = settings.gcpLocation ?? defaultVertexLocation
  const claude = call.dialect === 'anthropic'
  const model = vertexModelId(call.model, settings.modelMap)
  const url = modelUrl(endpointFor(ctx.baseUrl, location), project, location, model, call.stream, claude)
  const { model: _model, anthropic_version: _version, ...rest } = call.body
  const headers: Record<string, string> = { ...extraHeaders(call.headers), 'content-type': 'application/json', authorization: `Bearer ${token}` }
  if (source.quotaProjectId) headers['x-goog-user-project'] = source.quotaProjectId
  // A 401 means the cached token was revoked or expired early: the next call mints a new one.
  const forget = (head: ResponseHead): void => {
    if (head.status === 401) source.invalidate()
  }
  if (!claude) {
    const errorBody = (head: ResponseHead, body: Buffer): Buffer => {
      forget(head)
      return body
    }
    return { url, headers, body: Buffer.from(JSON.stringify(rest)), errorBody }
  }
  const { kept } = anthropicBetas(call.headers['anthropic-beta'], undefined, betaFilter(settings.anthropicBetas, (b) => !vertexRefusedBetas.includes(b)))
  if (kept.length) headers['anthropic-beta'] = kept.join(',')
  return {
    url,
    headers,
    body: Buffer.from(JSON.stringify({ anthropic_version: vertexAnthropicVersion, ...rest })),
    errorBody(head, body) {
      forget(head)
      return claudeErrorBody(head, body)
    },
  }
}

export const vertex = defineProvider({
  id: 'vertex',
  name: 'Google Vertex AI',
  dialect: 'anthropic',
  modelDialect: (model, settings) => (isClaudeOnVertex(model, settings.modelMap) ? 'anthropic' : 'gemini'),
  // `{location}` is filled in per call (settings.gcpLocation, default global).
  baseUrl: 'https://{location}-aiplatform.googleapis.com/v1',
  needsApiKey: false,
  authHeaders: () => ({}),
  streamUsage: 'always',
  endpoints: ['messages', 'chat'],
  knownModels: [...vertexClaudeAliases, 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash-001'].map((id) => ({ id })),
  target(_endpoint, model, ctx, call) {
    if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@vertex/claude-sonnet-4-5\"", { param: 'model' })
    const id = vertexModelId(model, ctx.settings.modelMap)
    const location = ctx.settings.gcpLocation ?? defaultVertexLocation
    // The project may come from the credentials, read when the call is prepared; the URL is rebuilt then.
    const url = modelUrl(endpointFor(ctx.baseUrl, location), ctx.settings.gcpProject ?? '-', location, id, call?.stream ?? false, id.startsWith('claude'))
    return { url, model, pricingModel: id }
  },
  transport: { prepare },
  credential: {
    describe: 'a Google service-account key file (JSON), or an authorized_user application-default credentials file',
    check(secret) {
      const json = parseCredentials(secret)
      if (typeof json === 'string') return json
      try {
        googleAuth.fromJson(json, {}, 'the credentials')
        if (json.type === 'service_account') createPrivateKey(String(json.private_key))
      } catch (err) {
        return err instanceof GoogleAuthError ? err.message : 'the service account private_key is not a valid PEM key'
      }
      return undefined
    },
    hint(secret) {
      const json = parseCredentials(secret)
      if (typeof json === 'string') return null
      return typeof json.client_email === 'string' ? json.client_email : 'application-default user credentials'
    },
  },
  catalogId: 'google',
  settings: vertexSettings,
  docs: 'https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude',
})
