/**
 * The Gemini API (Google AI Studio), natively: generateContent and streamGenerateContent?alt=sse with the
 * key in `x-goog-api-key`. Every caller is translated (no gateway endpoint speaks Gemini); the model is
 * named in the URL, not the body. Models are discovered from `/v1beta/models` (paged; only those that
 * can generateContent). Prices come from the pricing catalog.
 * https://ai.google.dev/api/generate-content and https://ai.google.dev/api/models#method:-models.list
 */
import { GatewayError } from '../errors/GatewayError.ts'
import { defineProvider, header } from './provider.ts'

type ModelList = { models?: Array<{ name?: unknown; supportedGenerationMethods?: unknown }>; nextPageToken?: unknown }

/** Pages of up to 1,000 models (the API's maximum); a runaway token stops after 20 pages. */
async function listModels(get: (path: string) => Promise<unknown>): Promise<string[]> {
  const ids: string[] = []
  let token: string | undefined
  for (let page = 0; page < 20; page++) {
    const body = (await get(`/models?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`)) as ModelList | null
    for (const m of body?.models ?? []) {
      const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : []
      if (typeof m.name === 'string' && methods.includes('generateContent')) ids.push(m.name.replace(/^models\//, ''))
    }
    token = typeof body?.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : undefined
    if (!token) break
  }
  return ids
}

export const gemini = defineProvider({
  id: 'gemini',
  name: 'Google Gemini API',
  dialect: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  authHeaders: header('x-goog-api-key'),
  streamUsage: 'always',
  endpoints: ['chat', 'models'],
  knownModels: [{ id: 'gemini-2.5-pro' }, { id: 'gemini-2.5-flash' }, { id: 'gemini-2.5-flash-lite' }, { id: 'gemini-2.0-flash' }],
  // The URL names the model; generateContent's body has no such field.
  dropParams: ['model'],
  target(_endpoint, model, ctx, call) {
    if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@gemini/gemini-2.5-flash\"", { param: 'model' })
    const id = model.replace(/^models\//, '')
    const method = call?.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
    return { url: `${ctx.baseUrl}/models/${encodeURIComponent(id)}:${method}`, model: id, pricingModel: id }
  },
  listModels,
  catalogId: 'google',
  docs: 'https://ai.google.dev/api/generate-content',
})
