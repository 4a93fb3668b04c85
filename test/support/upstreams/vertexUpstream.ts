// Fake Vertex AI on node:http, with its own OAuth token endpoint (`POST /token`, see googleOAuth.ts):
// Claude via `…/publishers/anthropic/models/{m}:rawPredict` and `:streamRawPredict` (Anthropic
// Messages body with `anthropic_version: "vertex-2023-10-16"` and no `model`), Gemini via
// `…/publishers/google/models/{m}:generateContent`, `:streamGenerateContent[?alt=sse]` and
// `:countTokens`. Bearer tokens must come from the token endpoint (or `accessTokens`); errors are
// Google's `{"error":{code,message,status}}`, except Claude's own model errors, which stay Anthropic's.
// https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
import { setTimeout as sleep } from 'node:timers/promises'
import type { GoogleAuthorizedUser, GoogleServiceAccountKey } from '../../../main/providers/google/googleAuth.ts'
import {
  anthropicErrorBody, behavioursOf, messageBody, planReply, scriptedFailure, SLOW_FIRST_BYTE_MS, streamEvents, validateMessages,
} from './anthropicMessages.ts'
import type { AnthropicBehaviour } from './anthropicMessages.ts'
import { sendAnthropicStream } from './anthropicStream.ts'
import {
  errorInfo, generateBody, planGenerate, promptTokens, scriptedGeminiFailure, sendGeminiStream, sendGoogleError, sendGoogleJson, streamChunks, validateGenerate,
} from './geminiResponses.ts'
import type { GoogleError } from './geminiResponses.ts'
import { checkBearer, createOAuthState, handleToken, newAuthorizedUser, newServiceAccount } from './googleOAuth.ts'
import { isRecord } from './openaiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'
import { sendJson } from './sse.ts'
import { startRecordingServer } from './upstreamServer.ts'
import type { Upstream } from './upstreamServer.ts'

export type VertexUpstreamOptions = {
  projectId?: string
  /** Tokens accepted without the token endpoint. */
  accessTokens?: string[]
  claudeModels?: string[]
  geminiModels?: string[]
  /** expires_in of issued tokens (default 3599). */
  tokenLifetimeSeconds?: number
}

export type VertexUpstream = Omit<Upstream, 'setBehaviour'> & {
  setBehaviour(b: AnthropicBehaviour | undefined): void
  projectId: string
  tokenUri: string
  /** A service-account key file for this fake (its token_uri points here). */
  serviceAccount(): GoogleServiceAccountKey
  /** An authorized_user ADC file for this fake. */
  authorizedUser(quotaProjectId?: string): GoogleAuthorizedUser
}

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16'
export const DEFAULT_VERTEX_CLAUDE = ['claude-sonnet-4-5@20250929', 'claude-haiku-4-5@20251001', 'claude-opus-4-1@20250805']
export const DEFAULT_VERTEX_GEMINI = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash-001']

const ROUTE = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(anthropic|google)\/models\/([^/:]+):(rawPredict|streamRawPredict|generateContent|streamGenerateContent|countTokens)$/

const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'

export async function startVertexUpstream(opts: VertexUpstreamOptions = {}): Promise<VertexUpstream> {
  const projectId = opts.projectId ?? 'switchyard-test'
  const claudeModels = opts.claudeModels ?? DEFAULT_VERTEX_CLAUDE
  const geminiModels = opts.geminiModels ?? DEFAULT_VERTEX_GEMINI
  const oauth = createOAuthState('', opts.tokenLifetimeSeconds)
  let forced: AnthropicBehaviour | undefined
  const upstream = await startRecordingServer('', async (req, res) => {
    const url = new URL(req.path, 'http://upstream')
    if (url.pathname === '/token') return handleToken(oauth, req, res)
    const fail = (e: GoogleError): void => sendGoogleError(res, e, { vary: 'Origin, X-Origin, Referer' })
    const match = ROUTE.exec(url.pathname)
    if (req.method !== 'POST' || !match) return fail({ status: 'NOT_FOUND', message: `The requested URL ${url.pathname} was not found on this server.` })
    const bearer = checkBearer(oauth, req.headers['authorization'], opts.accessTokens ?? [])
    if (bearer !== 'ok') {
      const reason = bearer === 'missing' ? 'CREDENTIALS_MISSING' : bearer === 'expired' ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED'
      return fail({ status: 'UNAUTHENTICATED', message: UNAUTHENTICATED, details: [errorInfo(reason, 'aiplatform.googleapis.com', { method: 'google.cloud.aiplatform.v1.PredictionService.Predict' })] })
    }
    const [, , project = '', location = '', publisher = '', model = '', method = ''] = match
    const resource = `projects/${project}/locations/${location}/publishers/${publisher}/models/${model}`
    if (project !== projectId) {
      return fail({ status: 'PERMISSION_DENIED', message: `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).` })
    }
    const flags = behavioursOf(model, forced)
    const known = (publisher === 'anthropic' ? claudeModels : geminiModels).includes(model) || behavioursOf(model).size > 0
    if (!known) return fail({ status: 'NOT_FOUND', message: `Publisher Model \`${resource}\` not found.` })
    const wrongFamily = (publisher === 'anthropic') !== (method === 'rawPredict' || method === 'streamRawPredict')
    if (wrongFamily) return fail({ status: 'INVALID_ARGUMENT', message: `${method} is not supported for ${resource}.` })
    if (publisher === 'anthropic') {
      const body = isRecord(req.body) ? req.body : {}
      const anthropicFail = (status: number, type: Parameters<typeof anthropicErrorBody>[0], message: string): void => sendJson(res, status, anthropicErrorBody(type, message))
      if (!isRecord(req.body)) return anthropicFail(400, 'invalid_request_error', 'There was an issue with the request body: the body must be a JSON object')
      if (body['anthropic_version'] === undefined) return anthropicFail(400, 'invalid_request_error', 'anthropic_version: Field required')
      if (body['anthropic_version'] !== VERTEX_ANTHROPIC_VERSION) return anthropicFail(400, 'invalid_request_error', `anthropic_version: Input should be '${VERTEX_ANTHROPIC_VERSION}'`)
      if ('model' in body) return anthropicFail(400, 'invalid_request_error', 'model: Extra inputs are not permitted')
      const invalid = validateMessages(body)
      if (invalid) return anthropicFail(400, 'invalid_request_error', invalid)
      if (flags.has('error-429')) {
        const base = `anthropic-${model.split('@')[0] ?? model}`
        return fail({ status: 'RESOURCE_EXHAUSTED', message: `Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: ${base}. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.` })
      }
      const failure = scriptedFailure(flags)
      if (failure) return anthropicFail(failure.status, failure.type, failure.message)
      if (flags.has('slow-first-byte')) await sleep(SLOW_FIRST_BYTE_MS)
      const plan = planReply(body, model.replace('@', '-'), flags, 'vertex')
      if (method === 'streamRawPredict' || body['stream'] === true) return sendAnthropicStream(res, streamEvents(plan, 'vertex'), flags, {})
      return sendJson(res, 200, messageBody(plan, 'vertex'))
    }
    const problem = validateGenerate(req.body)
    if (problem) return fail({ status: 'INVALID_ARGUMENT', message: problem })
    const body = req.body as JsonObject
    if (method === 'countTokens') return sendGoogleJson(res, 200, { totalTokens: promptTokens(body), totalBillableCharacters: JSON.stringify(body['contents']).length })
    const failure = scriptedGeminiFailure(flags, 'vertex')
    if (failure) return fail(failure)
    if (flags.has('slow-first-byte')) await sleep(SLOW_FIRST_BYTE_MS)
    const plan = planGenerate(body, model, flags)
    if (method === 'generateContent') return sendGoogleJson(res, 200, generateBody(plan, model, 'vertex'))
    return sendGeminiStream(res, streamChunks(plan, model, 'vertex'), url.searchParams.get('alt') === 'sse', flags, {})
  })
  oauth.tokenUri = `${upstream.url}/token`
  return {
    ...upstream,
    projectId,
    tokenUri: oauth.tokenUri,
    serviceAccount: () => newServiceAccount(oauth, projectId),
    authorizedUser: (quotaProjectId) => newAuthorizedUser(oauth, quotaProjectId),
    setBehaviour: (b) => {
      forced = b
    },
  }
}
