// Fake Gemini API (Google AI Studio, generativelanguage.googleapis.com) on node:http: the API key as
// `x-goog-api-key` (or `?key=`), POST /v1beta/models/{m}:generateContent, :streamGenerateContent
// (`?alt=sse`, else a JSON array) and :countTokens, GET /v1beta/models (paged with pageToken) and
// /v1beta/models/{m}, with Google's error bodies. Replies come from geminiResponses.ts.
// https://ai.google.dev/api
import { setTimeout as sleep } from 'node:timers/promises'
import { behavioursOf, SLOW_FIRST_BYTE_MS } from './anthropicMessages.ts'
import type { AnthropicBehaviour } from './anthropicMessages.ts'
import {
  errorInfo, generateBody, planGenerate, promptTokens, scriptedGeminiFailure, sendGeminiStream, sendGoogleError, sendGoogleJson, streamChunks, validateGenerate,
} from './geminiResponses.ts'
import type { GoogleError } from './geminiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'
import { startRecordingServer } from './upstreamServer.ts'
import type { Upstream } from './upstreamServer.ts'

export type GeminiUpstreamOptions = {
  apiKey: string
  models?: string[]
}

export type GeminiUpstream = Omit<Upstream, 'setBehaviour'> & { setBehaviour(b: AnthropicBehaviour | undefined): void }

export const DEFAULT_GEMINI_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash']

const ROUTE = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/
const SERVICE = 'generativelanguage.googleapis.com'

/** `gemini-2.5-flash-lite` → `Gemini 2.5 Flash-Lite`. */
const displayName = (id: string): string =>
  id.split('-').map((w, i) => (i === 0 ? 'Gemini' : /^\d/.test(w) ? w : w.charAt(0).toUpperCase() + w.slice(1))).join(' ').replace(' Lite', '-Lite')

export function geminiModel(id: string): JsonObject {
  const thinking = id.startsWith('gemini-2.5')
  return {
    name: `models/${id}`,
    version: '001',
    displayName: displayName(id),
    description: `Fake ${displayName(id)} for Switchyard tests`,
    inputTokenLimit: 1048576,
    outputTokenLimit: thinking ? 65536 : 8192,
    supportedGenerationMethods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
    temperature: 1,
    topP: 0.95,
    topK: 64,
    maxTemperature: 2,
    ...(thinking ? { thinking: true } : {}),
  }
}

export async function startGeminiUpstream(opts: GeminiUpstreamOptions): Promise<GeminiUpstream> {
  const models = opts.models ?? DEFAULT_GEMINI_MODELS
  const known = (m: string): boolean => models.includes(m) || behavioursOf(m).size > 0
  let forced: AnthropicBehaviour | undefined
  const upstream = await startRecordingServer('', async (req, res) => {
    const fail = (e: GoogleError): void => sendGoogleError(res, e, { vary: 'Origin, X-Origin, Referer' })
    const url = new URL(req.path, 'http://upstream')
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key') ?? undefined
    if (key === undefined) {
      return fail({
        status: 'PERMISSION_DENIED',
        message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        details: [errorInfo('CONSUMER_INVALID', SERVICE)],
      })
    }
    if (key !== opts.apiKey) return fail({ status: 'INVALID_ARGUMENT', message: 'API key not valid. Please pass a valid API key.', details: [errorInfo('API_KEY_INVALID', SERVICE)] })
    const version = /^\/(v1beta|v1)\//.exec(url.pathname)?.[1] ?? 'v1beta'
    if (req.method === 'GET' && /^\/(v1beta|v1)\/models\/?$/.test(url.pathname)) {
      const size = Math.max(1, Math.min(1000, Number(url.searchParams.get('pageSize') ?? 50) || 50))
      const start = Number(Buffer.from(url.searchParams.get('pageToken') ?? '', 'base64url').toString() || 0)
      const page = models.slice(start, start + size)
      const next = start + size < models.length ? { nextPageToken: Buffer.from(String(start + size)).toString('base64url') } : {}
      return sendGoogleJson(res, 200, { models: page.map(geminiModel), ...next })
    }
    const single = /^\/(v1beta|v1)\/models\/([^/:]+)$/.exec(url.pathname)
    if (req.method === 'GET' && single) {
      const id = single[2] ?? ''
      return known(id) ? sendGoogleJson(res, 200, geminiModel(id)) : fail({ status: 'NOT_FOUND', message: `models/${id} is not found for API version ${version}` })
    }
    const match = ROUTE.exec(url.pathname)
    if (req.method !== 'POST' || !match) return fail({ status: 'NOT_FOUND', message: `The requested URL ${url.pathname} was not found on this server.` })
    const [, , model = '', method = ''] = match
    if (!known(model)) {
      return fail({ status: 'NOT_FOUND', message: `models/${model} is not found for API version ${version}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.` })
    }
    const problem = validateGenerate(req.body)
    if (problem) return fail({ status: 'INVALID_ARGUMENT', message: problem })
    const body = req.body as JsonObject
    if (method === 'countTokens') {
      const total = promptTokens(body)
      return sendGoogleJson(res, 200, { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] })
    }
    const flags = behavioursOf(model, forced)
    const failure = scriptedGeminiFailure(flags, 'gemini')
    if (failure) return fail(failure)
    if (flags.has('slow-first-byte')) await sleep(SLOW_FIRST_BYTE_MS)
    const plan = planGenerate(body, model, flags)
    if (method === 'generateContent') return sendGoogleJson(res, 200, generateBody(plan, model, 'gemini'))
    return sendGeminiStream(res, streamChunks(plan, model, 'gemini'), url.searchParams.get('alt') === 'sse', flags, {})
  })
  return {
    ...upstream,
    setBehaviour: (b) => {
      forced = b
    },
  }
}
