// Gemini generateContent wire format shared by the Gemini API and Vertex fakes: request reading
// (camelCase or snake_case fields, as the proto JSON mapping accepts), the reply plan, response and
// stream-chunk bodies, Google's error bodies, and Google's JSON spelling on the wire.
// https://ai.google.dev/api/generate-content, https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference
import type { ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { countWords, isRecord, replyText, splitWords } from './openaiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'
import { thinkingSignature } from './anthropicMessages.ts'
import type { AnthropicBehaviour } from './anthropicMessages.ts'

export type GeminiFlavour = 'gemini' | 'vertex'

/** `field(o, 'systemInstruction')` also finds `system_instruction`. */
export function field(o: unknown, camel: string): unknown {
  if (!isRecord(o)) return undefined
  return o[camel] ?? o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]
}

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isRecord) : [])

const valuesText = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(valuesText) : isRecord(v) ? Object.values(v).flatMap(valuesText) : []

/** Text parts, plus the string values inside functionResponse parts. */
function partsText(parts: unknown): string {
  return list(parts)
    .flatMap((p) => (typeof p['text'] === 'string' && p['thought'] !== true ? [p['text']] : valuesText(field(field(p, 'functionResponse'), 'response'))))
    .join(' ')
}

export type GeminiPart = JsonObject
export type GeminiPlan = {
  /** Thought parts first, then the answer parts, each one stream chunk. */
  pieces: Array<{ part: GeminiPart; thought: boolean }>
  finishReason: 'STOP' | 'MAX_TOKENS'
  functionCall: boolean
  promptTokens: number
  thoughtTokens: number
  answerTokens: number
}

/** A 400 INVALID_ARGUMENT message for a request Gemini would refuse, or undefined. */
export function validateGenerate(body: unknown): string | undefined {
  const contents = list(field(body, 'contents'))
  if (contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified\n'
  if (contents.some((c) => c['role'] !== undefined && c['role'] !== 'user' && c['role'] !== 'model')) return 'Please use a valid role: user, model.'
  return undefined
}

export function promptTokens(body: unknown): number {
  const system = partsText(field(field(body, 'systemInstruction'), 'parts'))
  return countWords(system) + list(field(body, 'contents')).reduce((n, c) => n + countWords(partsText(c['parts'])), 0)
}

/**
 * Thoughts when thinkingConfig.includeThoughts (or `thinking`), then a functionCall
 * `{"input": <last user text>}` when `tools` or mode ANY (not right after a functionResponse), else
 * `Hello from <model>: <last user text>` word by word, cut at maxOutputTokens.
 */
export function planGenerate(body: JsonObject, model: string, flags: Set<AnthropicBehaviour>): GeminiPlan {
  const contents = list(field(body, 'contents'))
  const lastUser = contents.filter((c) => c['role'] !== 'model').at(-1)
  const lastText = partsText(lastUser?.['parts'])
  const answersTool = list(lastUser?.['parts']).some((p) => field(p, 'functionResponse') !== undefined)
  const config = field(body, 'generationConfig')
  const thinking = field(config, 'thinkingConfig')
  const declarations = list(field(body, 'tools')).flatMap((t) => list(field(t, 'functionDeclarations')))
  const calling = field(field(body, 'toolConfig'), 'functionCallingConfig')
  const allowed = field(calling, 'allowedFunctionNames')
  const pieces: GeminiPlan['pieces'] = []
  let thoughtTokens = 0
  if (field(thinking, 'includeThoughts') === true || flags.has('thinking')) {
    const thought = `**Answering** The user wrote: ${lastText.trim()}.`
    thoughtTokens = countWords(thought)
    pieces.push({ part: { text: thought, thought: true }, thought: true })
  }
  const wantsCall = (flags.has('tools') || field(calling, 'mode') === 'ANY') && !answersTool
  if (wantsCall) {
    const name = (Array.isArray(allowed) && typeof allowed[0] === 'string' ? allowed[0] : undefined) ?? (typeof declarations[0]?.['name'] === 'string' ? declarations[0]['name'] : 'get_weather')
    const args = { input: lastText }
    const part: GeminiPart = { functionCall: { name, args } }
    if (thoughtTokens > 0) part['thoughtSignature'] = thinkingSignature(name)
    pieces.push({ part, thought: false })
    return { pieces, finishReason: 'STOP', functionCall: true, promptTokens: promptTokens(body), thoughtTokens, answerTokens: countWords(JSON.stringify(args)) }
  }
  const max = field(config, 'maxOutputTokens')
  const words = splitWords(replyText(model, lastText))
  const kept = typeof max === 'number' ? words.slice(0, max) : words
  for (const w of kept) pieces.push({ part: { text: w }, thought: false })
  return { pieces, finishReason: kept.length < words.length ? 'MAX_TOKENS' : 'STOP', functionCall: false, promptTokens: promptTokens(body), thoughtTokens, answerTokens: kept.length }
}

export const responseId = (): string => randomBytes(17).toString('base64url').slice(0, 23)

function usageMetadata(plan: GeminiPlan, answerTokens: number, flavour: GeminiFlavour): JsonObject {
  const usage: JsonObject = {
    promptTokenCount: plan.promptTokens,
    candidatesTokenCount: answerTokens,
    totalTokenCount: plan.promptTokens + answerTokens + plan.thoughtTokens,
    ...(flavour === 'vertex' ? { trafficType: 'ON_DEMAND' } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: plan.promptTokens }],
    ...(flavour === 'vertex' ? { candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: answerTokens }] } : {}),
  }
  if (plan.thoughtTokens > 0) usage['thoughtsTokenCount'] = plan.thoughtTokens
  return usage
}

function responseJson(parts: GeminiPart[], finish: string | undefined, usage: JsonObject, model: string, id: string, flavour: GeminiFlavour, functionCall: boolean): JsonObject {
  const candidate: JsonObject = { content: { parts, role: 'model' } }
  if (finish) candidate['finishReason'] = finish
  if (flavour === 'gemini') candidate['index'] = 0
  if (finish && functionCall && flavour === 'gemini') candidate['finishMessage'] = 'Model generated function call(s).'
  const tail = flavour === 'vertex' ? { modelVersion: model, createTime: new Date().toISOString(), responseId: id } : { modelVersion: model, responseId: id }
  return { candidates: [candidate], usageMetadata: usage, ...tail }
}

/** The non-streaming GenerateContentResponse (adjacent text parts merged, as the API returns them). */
export function generateBody(plan: GeminiPlan, model: string, flavour: GeminiFlavour): JsonObject {
  const parts: GeminiPart[] = []
  for (const { part, thought } of plan.pieces) {
    const prev = parts.at(-1)
    const mergeable = typeof part['text'] === 'string' && prev !== undefined && typeof prev['text'] === 'string' && (prev['thought'] === true) === thought
    if (mergeable) prev['text'] = `${String(prev['text'])}${String(part['text'])}`
    else parts.push({ ...part })
  }
  return responseJson(parts, plan.finishReason, usageMetadata(plan, plan.answerTokens, flavour), model, responseId(), flavour, plan.functionCall)
}

/** One GenerateContentResponse per piece; usage is cumulative; the last carries finishReason. */
export function streamChunks(plan: GeminiPlan, model: string, flavour: GeminiFlavour): JsonObject[] {
  const id = responseId()
  let answered = 0
  return plan.pieces.map(({ part, thought }, i) => {
    if (!thought) answered += plan.functionCall ? plan.answerTokens : 1
    const last = i === plan.pieces.length - 1
    return responseJson([part], last ? plan.finishReason : undefined, usageMetadata(plan, answered, flavour), model, id, flavour, plan.functionCall)
  })
}

/** Google's stream JSON: `"key": value` pairs joined by `,` and HTML-significant characters escaped. */
export function googleStreamJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(googleStreamJson).join(',')}]`
  if (isRecord(value)) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${googleStreamJson(v)}`).join(',')}}`
  if (typeof value === 'string') return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
  return JSON.stringify(value) ?? 'null'
}

/** Google APIs answer pretty-printed JSON. */
export function sendGoogleJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, null, 2)
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers })
  res.end(text)
}

export type GoogleStatus = 'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'NOT_FOUND' | 'RESOURCE_EXHAUSTED' | 'INTERNAL' | 'UNAVAILABLE'
const CODES: Record<GoogleStatus, number> = { INVALID_ARGUMENT: 400, UNAUTHENTICATED: 401, PERMISSION_DENIED: 403, NOT_FOUND: 404, RESOURCE_EXHAUSTED: 429, INTERNAL: 500, UNAVAILABLE: 503 }

export type GoogleError = { status: GoogleStatus; message: string; details?: JsonObject[] }

export const googleErrorBody = (e: GoogleError): JsonObject => ({
  error: { code: CODES[e.status], message: e.message, status: e.status, ...(e.details ? { details: e.details } : {}) },
})

export const sendGoogleError = (res: ServerResponse, e: GoogleError, headers: Record<string, string> = {}): void =>
  sendGoogleJson(res, CODES[e.status], googleErrorBody(e), headers)

export const errorInfo = (reason: string, service: string, metadata: JsonObject = {}): JsonObject => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata: { service, ...metadata },
})

/** Scripted Gemini failures (Gemini API wording; Vertex overrides 429 and 500). */
export function scriptedGeminiFailure(flags: Set<AnthropicBehaviour>, flavour: GeminiFlavour): GoogleError | undefined {
  if (flags.has('error-429')) {
    return flavour === 'vertex'
      ? { status: 'RESOURCE_EXHAUSTED', message: 'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.' }
      : {
          status: 'RESOURCE_EXHAUSTED',
          message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
            { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
          ],
        }
  }
  if (flags.has('error-529')) return { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' }
  if (flags.has('error-500')) {
    return { status: 'INTERNAL', message: flavour === 'vertex' ? 'Internal error encountered.' : 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' }
  }
  if (flags.has('error-400')) {
    return { status: 'INVALID_ARGUMENT', message: 'Unable to submit request because it has a temperature value of 3 but the supported range is from 0 (inclusive) to 2.0001 (exclusive). Update the value and try again.' }
  }
  return undefined
}

/**
 * `?alt=sse`: `data: <json>` events separated by CRLF CRLF (clients such as @google/genai accept
 * `\n\n`, `\r\r` and `\r\n\r\n`); without it, one JSON array. `stream-drop` cuts after the first chunk.
 */
export async function sendGeminiStream(res: ServerResponse, chunks: JsonObject[], sse: boolean, flags: Set<AnthropicBehaviour>, headers: Record<string, string>): Promise<void> {
  if (!sse) return sendGoogleJson(res, 200, chunks, headers)
  res.writeHead(200, { 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff', ...headers })
  res.flushHeaders()
  for (const [i, chunk] of chunks.entries()) {
    if (res.destroyed) return
    if (i === 1 && flags.has('stream-drop')) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      res.destroy()
      return
    }
    await new Promise<void>((resolve) => res.write(`data: ${googleStreamJson(chunk)}\r\n\r\n`, () => resolve()))
  }
  res.end()
}
