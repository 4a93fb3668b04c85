/**
 * The fake Vertex AI, driven by a hand-written client holding a real token from googleAuth: Claude
 * through rawPredict / streamRawPredict (Anthropic Messages on the wire), Gemini through
 * generateContent / streamGenerateContent / countTokens, and the errors of each layer (Google's for
 * auth, project, model and quota; Anthropic's for Claude's own checks).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { googleAuth } from '../../main/providers/google/googleAuth.ts'
import { startVertexUpstream } from '../support/upstreams/vertexUpstream.ts'
import type { VertexUpstream } from '../support/upstreams/vertexUpstream.ts'

let vertex: VertexUpstream
let token: string

before(async () => {
  vertex = await startVertexUpstream({ projectId: 'my-proj' })
  token = await googleAuth.fromJson(vertex.serviceAccount()).accessToken()
})
after(() => vertex.close())

const base = (publisher: string, model: string, project = 'my-proj') => `${vertex.url}/v1/projects/${project}/locations/us-east5/publishers/${publisher}/models/${model}`
const post = (url: string, body: unknown, bearer: string = token) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify(body) })
const claude = (text: string, extra: Record<string, unknown> = {}) => ({ anthropic_version: 'vertex-2023-10-16', max_tokens: 100, messages: [{ role: 'user', content: text }], ...extra })
const gemini = (text: string, extra: Record<string, unknown> = {}) => ({ contents: [{ role: 'user', parts: [{ text }] }], ...extra })

/** SSE frames as [event name | undefined, parsed data]. */
async function sse(res: Response): Promise<Array<[string | undefined, Record<string, unknown>]>> {
  return (await res.text())
    .split(/\r\n\r\n|\n\n/)
    .filter((f) => f.trim() !== '')
    .map((frame) => {
      const lines = frame.split(/\r?\n/)
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7)
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '{}'
      return [event, JSON.parse(data) as Record<string, unknown>]
    })
}

describe('Claude on Vertex', () => {
  test('rawPredict: an Anthropic Message, model named without the @', async () => {
    const res = await post(`${base('anthropic', 'claude-sonnet-4-5@20250929')}:rawPredict`, claude('hi there'))
    assert.equal(res.status, 200)
    const body = (await res.json()) as { id: string; model: string; content: unknown; usage: Record<string, unknown> }
    assert.match(body.id, /^msg_vrtx_01/)
    assert.equal(body.model, 'claude-sonnet-4-5-20250929')
    assert.deepEqual(body.content, [{ type: 'text', text: 'Hello from claude-sonnet-4-5-20250929: hi there' }])
    assert.equal(body.usage['service_tier'], undefined)
  })

  test('streamRawPredict: Anthropic SSE events', async () => {
    const res = await post(`${base('anthropic', 'claude-haiku-4-5@20251001')}:streamRawPredict`, claude('hi', { stream: true }))
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/)
    const frames = await sse(res)
    for (const [event, data] of frames) assert.equal(event, data['type'])
    assert.deepEqual(frames.map(([e]) => e).slice(0, 3), ['message_start', 'content_block_start', 'ping'])
    assert.equal(frames.at(-1)?.[0], 'message_stop')
    const text = frames.flatMap(([, d]) => (d['type'] === 'content_block_delta' ? [(d['delta'] as { text: string }).text] : [])).join('')
    assert.equal(text, 'Hello from claude-haiku-4-5-20251001: hi')
  })

  const refusals: Array<[string, string, unknown, number, RegExp]> = [
    ['no anthropic_version', 'claude-sonnet-4-5@20250929', { max_tokens: 5, messages: [] }, 400, /"type":"invalid_request_error","message":"anthropic_version: Field required"/],
    ['a model field in the body', 'claude-sonnet-4-5@20250929', claude('x', { model: 'claude' }), 400, /model: Extra inputs are not permitted/],
    ['quota (429, Google shape)', 'claude-error-429', claude('x'), 429, /online_prediction_requests_per_base_model with base model: anthropic-claude-error-429[\s\S]*"status": "RESOURCE_EXHAUSTED"/],
    ['overloaded (529, Anthropic shape)', 'claude-error-529', claude('x'), 529, /"overloaded_error"/],
    ['an unknown model (404, Google shape)', 'claude-nope@1', claude('x'), 404, /Publisher Model `projects\/my-proj\/locations\/us-east5\/publishers\/anthropic\/models\/claude-nope@1` not found/],
  ]
  for (const [name, model, body, status, pattern] of refusals) {
    test(`refuses ${name}`, async () => {
      const res = await post(`${base('anthropic', model)}:rawPredict`, body)
      assert.equal(res.status, status)
      assert.match(await res.text(), pattern)
    })
  }
})

describe('Gemini on Vertex', () => {
  test('generateContent: candidates, finishReason, usageMetadata with Vertex fields', async () => {
    const res = await post(`${base('google', 'gemini-2.5-flash')}:generateContent`, gemini('hi there', { systemInstruction: { parts: [{ text: 'be kind' }] } }))
    const body = (await res.json()) as { candidates: Array<Record<string, unknown>>; usageMetadata: Record<string, unknown>; modelVersion: string; createTime: string; responseId: string }
    assert.deepEqual(body.candidates[0]?.['content'], { parts: [{ text: 'Hello from gemini-2.5-flash: hi there' }], role: 'model' })
    assert.equal(body.candidates[0]?.['finishReason'], 'STOP')
    assert.equal(body.usageMetadata['promptTokenCount'], 4)
    assert.equal(body.usageMetadata['candidatesTokenCount'], 5)
    assert.equal(body.usageMetadata['totalTokenCount'], 9)
    assert.equal(body.usageMetadata['trafficType'], 'ON_DEMAND')
    assert.equal(body.modelVersion, 'gemini-2.5-flash')
    assert.ok(!Number.isNaN(Date.parse(body.createTime)))
  })

  test('streamGenerateContent?alt=sse: data events, CRLF-separated, last one finishes', async () => {
    const res = await post(`${base('google', 'gemini-2.5-flash')}:streamGenerateContent?alt=sse`, gemini('hi'))
    const raw = await res.clone().text()
    assert.match(raw, /^data: \{"candidates": \[\{"content": \{"parts": \[\{"text": "Hello"\}\],"role": "model"\}/)
    assert.ok(raw.endsWith('\r\n\r\n'))
    const chunks = (await sse(res)).map(([, d]) => d as { candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }> })
    assert.equal(chunks.map((c) => c.candidates[0]?.content.parts[0]?.text).join(''), 'Hello from gemini-2.5-flash: hi')
    assert.equal(chunks.at(-1)?.candidates[0]?.finishReason, 'STOP')
    assert.ok(chunks.slice(0, -1).every((c) => c.candidates[0]?.finishReason === undefined))
  })

  test('streamGenerateContent without alt: one JSON array', async () => {
    const res = await post(`${base('google', 'gemini-2.5-flash')}:streamGenerateContent`, gemini('hi'))
    const body = (await res.json()) as unknown[]
    assert.ok(Array.isArray(body) && body.length === 4)
  })

  test('countTokens', async () => {
    const res = await post(`${base('google', 'gemini-2.5-pro')}:countTokens`, gemini('three words here'))
    assert.equal(((await res.json()) as { totalTokens: number }).totalTokens, 3)
  })

  test('function calling: mode ANY calls the allowed function with args', async () => {
    const body = gemini('weather in Rome', {
      tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT' } }, { name: 'get_time' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_time'] } },
    })
    const res = (await (await post(`${base('google', 'gemini-2.5-flash')}:generateContent`, body)).json()) as { candidates: Array<{ content: { parts: unknown[] } }> }
    assert.deepEqual(res.candidates[0]?.content.parts, [{ functionCall: { name: 'get_time', args: { input: 'weather in Rome' } } }])
  })
})

describe('auth and routing', () => {
  const cases: Array<[string, () => Promise<Response>, number, RegExp]> = [
    ['no bearer token', () => post(`${base('google', 'gemini-2.5-flash')}:generateContent`, gemini('x'), ''), 401, /"status": "UNAUTHENTICATED"[\s\S]*CREDENTIALS_MISSING/],
    ['an unknown token', () => post(`${base('google', 'gemini-2.5-flash')}:generateContent`, gemini('x'), 'ya29.nope'), 401, /Request had invalid authentication credentials/],
    ['another project', () => post(`${base('google', 'gemini-2.5-flash', 'other')}:generateContent`, gemini('x')), 403, /Permission 'aiplatform.endpoints.predict' denied on resource/],
    ['an unknown Gemini model', () => post(`${base('google', 'gemini-9')}:generateContent`, gemini('x')), 404, /"status": "NOT_FOUND"/],
    ['empty contents', () => post(`${base('google', 'gemini-2.5-flash')}:generateContent`, { contents: [] }), 400, /contents is not specified/],
    ['rawPredict on a Gemini model', () => post(`${base('google', 'gemini-2.5-flash')}:rawPredict`, claude('x')), 400, /INVALID_ARGUMENT/],
  ]
  for (const [name, send, status, pattern] of cases) {
    test(`${status} for ${name}`, async () => {
      const res = await send()
      assert.equal(res.status, status)
      assert.match(await res.text(), pattern)
    })
  }

  test('an expired token is refused with ACCESS_TOKEN_EXPIRED', async () => {
    const shortLived = await startVertexUpstream({ tokenLifetimeSeconds: 1 })
    try {
      const t = await googleAuth.fromJson(shortLived.serviceAccount()).accessToken()
      await new Promise((r) => setTimeout(r, 1100))
      const res = await fetch(`${shortLived.url}/v1/projects/${shortLived.projectId}/locations/global/publishers/google/models/gemini-2.5-flash:generateContent`, {
        method: 'POST', headers: { authorization: `Bearer ${t}` }, body: JSON.stringify(gemini('x')),
      })
      assert.equal(res.status, 401)
      assert.match(await res.text(), /ACCESS_TOKEN_EXPIRED/)
    } finally {
      await shortLived.close()
    }
  })
})
