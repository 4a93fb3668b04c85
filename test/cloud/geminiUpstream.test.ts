/**
 * The fake Gemini API (AI Studio), driven by a hand-written client: API-key auth both ways, the
 * model list, generateContent and its stream, function calling round trips, thinking, limits and
 * Google's error bodies. Wire shapes follow https://ai.google.dev/api/generate-content and a
 * recorded gemini-2.5-flash stream (junjihashimoto/louter test-data/gemini/streaming_long).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startGeminiUpstream } from '../support/upstreams/geminiUpstream.ts'
import type { GeminiUpstream } from '../support/upstreams/geminiUpstream.ts'

const KEY = 'AIzaSyFAKE-0123456789'
let gemini: GeminiUpstream

before(async () => {
  gemini = await startGeminiUpstream({ apiKey: KEY })
})
after(() => gemini.close())

type Candidate = { content: { parts: Array<Record<string, unknown>>; role: string }; finishReason?: string; index?: number; finishMessage?: string }
type GenerateResponse = { candidates: Candidate[]; usageMetadata: Record<string, number>; modelVersion: string; responseId: string }

const generate = async (model: string, body: unknown, method = 'generateContent', query = ''): Promise<Response> =>
  fetch(`${gemini.url}/v1beta/models/${model}:${method}${query}`, { method: 'POST', headers: { 'x-goog-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) })
const user = (text: string) => ({ contents: [{ role: 'user', parts: [{ text }] }] })

async function sseChunks(res: Response): Promise<GenerateResponse[]> {
  const text = await res.text()
  assert.ok(text.endsWith('\r\n\r\n'), 'events end with CRLF CRLF')
  return text.split('\r\n\r\n').filter(Boolean).map((frame) => {
    assert.ok(frame.startsWith('data: '))
    return JSON.parse(frame.slice(6)) as GenerateResponse
  })
}

describe('generateContent', () => {
  test('text, finishReason, index, usage, modelVersion, responseId', async () => {
    const res = await generate('gemini-2.5-flash', { ...user('hi there'), systemInstruction: { parts: [{ text: 'be kind' }] } })
    assert.equal(res.status, 200)
    const body = (await res.json()) as GenerateResponse
    assert.deepEqual(body.candidates, [{ content: { parts: [{ text: 'Hello from gemini-2.5-flash: hi there' }], role: 'model' }, finishReason: 'STOP', index: 0 }])
    assert.deepEqual(body.usageMetadata, { promptTokenCount: 4, candidatesTokenCount: 5, totalTokenCount: 9, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 4 }] } as unknown as Record<string, number>)
    assert.equal(body.modelVersion, 'gemini-2.5-flash')
    assert.match(body.responseId, /^[\w-]{10,}$/)
  })

  test('snake_case fields are accepted (proto JSON), key in ?key=', async () => {
    const res = await fetch(`${gemini.url}/v1beta/models/gemini-2.0-flash:generateContent?key=${KEY}`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ parts: [{ text: 'one two three' }] }], system_instruction: { parts: [{ text: 'sys' }] }, generation_config: { max_output_tokens: 2 } }),
    })
    const body = (await res.json()) as GenerateResponse
    assert.deepEqual(body.candidates[0]?.content.parts, [{ text: 'Hello from' }])
    assert.equal(body.candidates[0]?.finishReason, 'MAX_TOKENS')
    assert.equal(body.usageMetadata['promptTokenCount'], 4)
  })

  test('function calling round trip: functionCall, then text answering the functionResponse', async () => {
    const tools = [{ functionDeclarations: [{ name: 'getWeather', description: 'weather', parameters: { type: 'OBJECT', properties: { location: { type: 'STRING' } } } }] }]
    const first = (await (await generate('gemini-tools', { ...user('Tokyo weather'), tools })).json()) as GenerateResponse
    const call = first.candidates[0]?.content.parts[0]
    assert.deepEqual(call, { functionCall: { name: 'getWeather', args: { input: 'Tokyo weather' } } })
    assert.equal(first.candidates[0]?.finishReason, 'STOP')
    assert.equal(first.candidates[0]?.finishMessage, 'Model generated function call(s).')
    const contents = [
      { role: 'user', parts: [{ text: 'Tokyo weather' }] },
      { role: 'model', parts: [call] },
      { role: 'user', parts: [{ functionResponse: { name: 'getWeather', response: { result: 'sunny' } } }] },
    ]
    const second = (await (await generate('gemini-tools', { contents, tools })).json()) as GenerateResponse
    assert.deepEqual(second.candidates[0]?.content.parts, [{ text: 'Hello from gemini-tools: sunny' }])
  })

  test('thinking: a thought part first and thoughtsTokenCount in usage', async () => {
    const body = { ...user('hi'), generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } } }
    const res = (await (await generate('gemini-2.5-pro', body)).json()) as GenerateResponse
    const [thought, answer] = res.candidates[0]?.content.parts ?? []
    assert.equal(thought?.['thought'], true)
    assert.equal(answer?.['text'], 'Hello from gemini-2.5-pro: hi')
    const usage = res.usageMetadata
    assert.ok((usage['thoughtsTokenCount'] ?? 0) > 0)
    assert.equal(usage['totalTokenCount'], (usage['promptTokenCount'] ?? 0) + (usage['candidatesTokenCount'] ?? 0) + (usage['thoughtsTokenCount'] ?? 0))
  })

  test('countTokens', async () => {
    const res = (await (await generate('gemini-2.5-flash', user('a b c d'), 'countTokens')).json()) as { totalTokens: number }
    assert.equal(res.totalTokens, 4)
  })
})

describe('streamGenerateContent', () => {
  test('?alt=sse: Google-spelled JSON per event, cumulative usage, finish on the last', async () => {
    const res = await generate('gemini-2.5-flash', user('a < b'), 'streamGenerateContent', '?alt=sse')
    assert.equal(res.headers.get('content-type'), 'text/event-stream')
    const raw = await res.clone().text()
    assert.match(raw, /^data: \{"candidates": \[\{"content": \{"parts": \[\{"text": "Hello"\}\],"role": "model"\},"index": 0\}\],"usageMetadata": \{"promptTokenCount": 3,/)
    assert.match(raw, /"text": " \\u003c"\}/)
    const chunks = await sseChunks(res)
    assert.equal(chunks.map((c) => c.candidates[0]?.content.parts[0]?.['text']).join(''), 'Hello from gemini-2.5-flash: a < b')
    assert.deepEqual(chunks.map((c) => c.usageMetadata['candidatesTokenCount']), [1, 2, 3, 4, 5, 6])
    assert.equal(chunks.at(-1)?.candidates[0]?.finishReason, 'STOP')
    assert.equal(new Set(chunks.map((c) => c.responseId)).size, 1)
  })

  test('a function call streams as one chunk', async () => {
    const chunks = await sseChunks(await generate('gemini-tools', { ...user('x'), tools: [{ functionDeclarations: [{ name: 'f' }] }] }, 'streamGenerateContent', '?alt=sse'))
    assert.equal(chunks.length, 1)
    assert.deepEqual(chunks[0]?.candidates[0]?.content.parts, [{ functionCall: { name: 'f', args: { input: 'x' } } }])
  })

  test('stream-drop cuts the connection after the first event', async () => {
    const res = await generate('gemini-stream-drop', user('one two three'), 'streamGenerateContent', '?alt=sse')
    await assert.rejects(res.text())
  })
})

describe('models and errors', () => {
  test('the model list pages with pageToken; one model by name', async () => {
    const page1 = (await (await fetch(`${gemini.url}/v1beta/models?pageSize=3`, { headers: { 'x-goog-api-key': KEY } })).json()) as { models: Array<{ name: string }>; nextPageToken?: string }
    assert.deepEqual(page1.models.map((m) => m.name), ['models/gemini-2.5-pro', 'models/gemini-2.5-flash', 'models/gemini-2.5-flash-lite'])
    const page2 = (await (await fetch(`${gemini.url}/v1beta/models?pageSize=3&pageToken=${page1.nextPageToken ?? ''}`, { headers: { 'x-goog-api-key': KEY } })).json()) as { models: Array<{ name: string }>; nextPageToken?: string }
    assert.deepEqual(page2.models.map((m) => m.name), ['models/gemini-2.0-flash'])
    assert.equal(page2.nextPageToken, undefined)
    const one = (await (await fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash-lite`, { headers: { 'x-goog-api-key': KEY } })).json()) as Record<string, unknown>
    assert.equal(one['displayName'], 'Gemini 2.5 Flash-Lite')
    assert.ok((one['supportedGenerationMethods'] as string[]).includes('generateContent'))
  })

  const cases: Array<[string, () => Promise<Response>, number, string, RegExp]> = [
    ['no key', () => fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', body: JSON.stringify(user('x')) }), 403, 'PERMISSION_DENIED', /unregistered callers/],
    ['a wrong key', () => fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash:generateContent?key=nope`, { method: 'POST', body: JSON.stringify(user('x')) }), 400, 'INVALID_ARGUMENT', /^API key not valid\. Please pass a valid API key\.$/],
    ['an unknown model', () => generate('gemini-9', user('x')), 404, 'NOT_FOUND', /^models\/gemini-9 is not found for API version v1beta, or is not supported for generateContent\./],
    ['quota', () => generate('gemini-error-429', user('x')), 429, 'RESOURCE_EXHAUSTED', /exceeded your current quota/],
    ['overload', () => generate('gemini-error-529', user('x')), 503, 'UNAVAILABLE', /overloaded/],
    ['a bad role', () => generate('gemini-2.5-flash', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }), 400, 'INVALID_ARGUMENT', /valid role: user, model/],
  ]
  for (const [name, send, code, status, message] of cases) {
    test(`${code} ${status} for ${name}`, async () => {
      const res = await send()
      const text = await res.text()
      assert.match(text, /^\{\n {2}"error": \{\n/, 'pretty-printed like Google')
      const { error } = JSON.parse(text) as { error: { code: number; status: string; message: string; details?: unknown[] } }
      assert.deepEqual([res.status, error.code, error.status], [code, code, status])
      assert.match(error.message, message)
    })
  }

  test('429 details carry RetryInfo', async () => {
    const { error } = (await (await generate('gemini-error-429', user('x'))).json()) as { error: { details: Array<Record<string, unknown>> } }
    assert.deepEqual(error.details.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.RetryInfo'), { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' })
  })
})
