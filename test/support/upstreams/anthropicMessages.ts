// Anthropic Messages wire-format builders shared by the Anthropic, Bedrock (InvokeModel) and Vertex
// (rawPredict) fakes: scripted behaviours, deterministic token math, the reply plan, full Message
// bodies, stream events and error bodies, shaped like https://docs.anthropic.com/en/api/messages and
// https://docs.anthropic.com/en/docs/build-with-claude/streaming. No I/O.
import { createHmac, randomBytes } from 'node:crypto'
import { chunkString, countWords, isRecord, replyText, splitWords } from './openaiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'

/** Selected by substring of the model name (several may combine), or forced with setBehaviour. */
export const ANTHROPIC_BEHAVIOURS = [
  'error-429', 'error-529', 'error-500', 'error-400', 'slow-first-byte', 'stream-drop', 'stream-error', 'tools', 'thinking', 'cached',
] as const
export type AnthropicBehaviour = (typeof ANTHROPIC_BEHAVIOURS)[number]
export type Flavour = 'anthropic' | 'bedrock' | 'vertex'

export const TOKENS_PER_MESSAGE = 3
export const TOKENS_PER_TOOL = 10
export const SLOW_FIRST_BYTE_MS = 200
const SIGNING_SECRET = 'switchyard-fake-thinking-signature'

export function behavioursOf(name: string, forced?: AnthropicBehaviour): Set<AnthropicBehaviour> {
  const found = new Set(ANTHROPIC_BEHAVIOURS.filter((b) => name.includes(b)))
  if (forced) found.add(forced)
  return found
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** `msg_01…`, `toolu_01…`, `req_011C…`: a prefix, then base62 like Anthropic's ids. */
export function anthropicId(prefix: string, length = 22): string {
  const bytes = randomBytes(length)
  return prefix + Array.from(bytes, (b) => BASE62[b % 62]).join('')
}

//#region reading requests

/** Text of a content value: a string, or text blocks plus the text inside tool_result blocks. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .filter(isRecord)
    .flatMap((b) => (b['type'] === 'text' && typeof b['text'] === 'string' ? [b['text']] : b['type'] === 'tool_result' ? [contentText(b['content'])] : []))
    .join(' ')
}

export type ReadRequest = {
  messages: JsonObject[]
  lastUserText: string
  /** The last user turn answers a tool call: reply with text, never with another tool call. */
  answersTool: boolean
  inputTokens: number
  wantsThinking: boolean
  hasCacheControl: boolean
}

export function readRequest(body: JsonObject): ReadRequest {
  const messages = (Array.isArray(body['messages']) ? body['messages'] : []).filter(isRecord)
  const lastUser = messages.filter((m) => m['role'] === 'user').at(-1)
  const lastContent = lastUser?.['content']
  const tools = Array.isArray(body['tools']) ? body['tools'] : []
  const thinking = body['thinking']
  const text = JSON.stringify(body)
  return {
    messages,
    lastUserText: contentText(lastContent),
    answersTool: Array.isArray(lastContent) && lastContent.some((b) => isRecord(b) && b['type'] === 'tool_result'),
    inputTokens:
      countWords(contentText(body['system'])) +
      messages.reduce((n, m) => n + countWords(contentText(m['content'])) + TOKENS_PER_MESSAGE, 0) +
      tools.length * TOKENS_PER_TOOL,
    wantsThinking: isRecord(thinking) && (thinking['type'] === 'enabled' || thinking['type'] === 'adaptive'),
    hasCacheControl: text.includes('"cache_control"'),
  }
}

/** The fake's thinking signature: an HMAC of the thinking text, so a round trip can be checked. */
export const thinkingSignature = (thinking: string): string =>
  createHmac('sha256', SIGNING_SECRET).update(thinking).digest('base64') + 'EqQBCgIYAhIM'

/** First thinking block sent back with a signature this fake did not produce, as `messages.N.content.M`. */
export function badThinkingSignature(messages: JsonObject[]): string | undefined {
  for (const [i, m] of messages.entries()) {
    if (m['role'] !== 'assistant' || !Array.isArray(m['content'])) continue
    for (const [j, b] of m['content'].entries()) {
      if (!isRecord(b) || b['type'] !== 'thinking') continue
      const thinking = typeof b['thinking'] === 'string' ? b['thinking'] : ''
      if (b['signature'] !== thinkingSignature(thinking)) return `messages.${i}.content.${j}`
    }
  }
  return undefined
}

//#endregion

//#region the reply

export type PlannedBlock =
  | { type: 'thinking'; thinking: string; signature: string; pieces: string[] }
  | { type: 'text'; text: string; pieces: string[] }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject; pieces: string[] }

export type Usage = { input: number; output: number; cacheRead: number; cacheCreation: number }
export type Plan = { id: string; model: string; blocks: PlannedBlock[]; stopReason: 'end_turn' | 'tool_use' | 'max_tokens'; usage: Usage }

function toolChoice(body: JsonObject): { forced: boolean; name: string | undefined } {
  const choice = body['tool_choice']
  if (!isRecord(choice)) return { forced: false, name: undefined }
  return { forced: choice['type'] === 'any' || choice['type'] === 'tool', name: typeof choice['name'] === 'string' ? choice['name'] : undefined }
}

function firstToolName(body: JsonObject): string {
  const first: unknown = Array.isArray(body['tools']) ? body['tools'][0] : undefined
  return isRecord(first) && typeof first['name'] === 'string' ? first['name'] : 'get_weather'
}

/** What the scripted shell call runs (`echo switchyard-tool-ok`), as the Responses fake does for Codex. */
export const TOOL_ECHO_TEXT = 'switchyard-tool-ok'

/**
 * The first shell-like tool and the field its command goes in: a `command` string in its input_schema (Claude
 * Code's `Bash`) or a `cmd` string (Codex's `exec_command`, when Codex is translated to Anthropic), if any.
 */
function shellTool(body: JsonObject): { name: string; field: 'command' | 'cmd' } | undefined {
  const tools = (Array.isArray(body['tools']) ? body['tools'] : []).filter(isRecord)
  for (const t of tools) {
    const schema = t['input_schema']
    const props = isRecord(schema) && isRecord(schema['properties']) ? schema['properties'] : {}
    if (typeof t['name'] !== 'string') continue
    for (const field of ['command', 'cmd'] as const) {
      const prop = props[field]
      if (isRecord(prop) && prop['type'] === 'string') return { name: t['name'], field }
    }
  }
  return undefined
}

/**
 * What the fake answers: optional thinking, then a text reply `Hello from <model>: <last user text>`
 * (one output token per word, cut at max_tokens), or a tool_use block: `{"command": "echo switchyard-tool-ok"}` for the
 * first shell-like tool (Claude Code's Bash; `cmd` for Codex's exec_command), else `{"input": <last user text>}` for
 * the forced or first tool.
 * Cache: `cached` reads half the prompt from cache; any `cache_control` without it writes half.
 */
export function planReply(body: JsonObject, model: string, flags: Set<AnthropicBehaviour>, flavour: Flavour): Plan {
  const read = readRequest(body)
  const blocks: PlannedBlock[] = []
  if (read.wantsThinking || flags.has('thinking')) {
    // `thinking.display: "omitted"` (as Claude Code sends): the block keeps its signature, not its text.
    const omitted = isRecord(body['thinking']) && body['thinking']['display'] === 'omitted'
    const thinking = omitted ? '' : `The user wrote: ${read.lastUserText.trim()}. A short greeting answers it.`
    blocks.push({ type: 'thinking', thinking, signature: thinkingSignature(thinking), pieces: splitWords(thinking) })
  }
  const choice = toolChoice(body)
  let stopReason: Plan['stopReason'] = 'end_turn'
  if ((flags.has('tools') || choice.forced) && !read.answersTool) {
    // A shell-like tool is preferred and gets a harmless `echo` (a client such as Claude Code can run it);
    // any other tool gets `{"input": <last user text>}`.
    const shell = shellTool(body)
    const name = choice.name ?? shell?.name ?? firstToolName(body)
    const input: JsonObject = name === shell?.name ? { [shell.field]: `echo ${TOOL_ECHO_TEXT}` } : { input: read.lastUserText }
    blocks.push({ type: 'tool_use', id: anthropicId('toolu_01', 22), name, input, pieces: chunkString(JSON.stringify(input), 8) })
    stopReason = 'tool_use'
  } else {
    const max = typeof body['max_tokens'] === 'number' ? body['max_tokens'] : Infinity
    const budget = Math.max(0, max - blocks.reduce((n, b) => n + b.pieces.length, 0))
    const words = splitWords(replyText(model, read.lastUserText))
    const pieces = words.slice(0, budget)
    if (pieces.length < words.length) stopReason = 'max_tokens'
    blocks.push({ type: 'text', text: pieces.join(''), pieces })
  }
  const half = Math.floor(read.inputTokens / 2)
  const cacheRead = flags.has('cached') ? half : 0
  const cacheCreation = !flags.has('cached') && read.hasCacheControl ? half : 0
  const output = blocks.reduce((n, b) => n + (b.type === 'tool_use' ? countWords(JSON.stringify(b.input)) : b.pieces.length), 0)
  const idPrefix = flavour === 'bedrock' ? 'msg_bdrk_01' : flavour === 'vertex' ? 'msg_vrtx_01' : 'msg_01'
  return {
    id: anthropicId(idPrefix, 22),
    model,
    blocks,
    stopReason,
    usage: { input: read.inputTokens - cacheRead - cacheCreation, output, cacheRead, cacheCreation },
  }
}

function usageJson(u: Usage, output: number, flavour: Flavour): JsonObject {
  const usage: JsonObject = {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheCreation,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheCreation, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
  }
  if (flavour === 'anthropic') usage['service_tier'] = 'standard'
  return usage
}

function blockJson(b: PlannedBlock): JsonObject {
  if (b.type === 'thinking') return { type: 'thinking', thinking: b.thinking, signature: b.signature }
  if (b.type === 'text') return { type: 'text', text: b.text }
  return { type: 'tool_use', id: b.id, name: b.name, input: b.input }
}

function messageJson(plan: Plan, flavour: Flavour, content: JsonObject[], stopReason: string | null, usage: JsonObject): JsonObject {
  const head = flavour === 'bedrock' ? { model: plan.model, id: plan.id } : { id: plan.id }
  const tail = flavour === 'bedrock' ? {} : { model: plan.model }
  return { ...head, type: 'message', role: 'assistant', ...tail, content, stop_reason: stopReason, stop_sequence: null, usage }
}

/** The non-streaming Message. */
export function messageBody(plan: Plan, flavour: Flavour): JsonObject {
  return messageJson(plan, flavour, plan.blocks.map(blockJson), plan.stopReason, usageJson(plan.usage, plan.usage.output, flavour))
}

/** The stream events, in order, as `{type, …}` objects (the SSE `event:` name is their `type`). */
export function streamEvents(plan: Plan, flavour: Flavour): JsonObject[] {
  const events: JsonObject[] = [{ type: 'message_start', message: messageJson(plan, flavour, [], null, usageJson(plan.usage, 1, flavour)) }]
  for (const [index, b] of plan.blocks.entries()) {
    const start =
      b.type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : b.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: b.id, name: b.name, input: {} }
    events.push({ type: 'content_block_start', index, content_block: start })
    if (index === 0 && flavour !== 'bedrock') events.push({ type: 'ping' })
    if (b.type === 'tool_use') events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } })
    for (const piece of b.pieces) {
      const delta =
        b.type === 'thinking' ? { type: 'thinking_delta', thinking: piece } : b.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece }
      events.push({ type: 'content_block_delta', index, delta })
    }
    if (b.type === 'thinking') events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: b.signature } })
    events.push({ type: 'content_block_stop', index })
  }
  const finalUsage: JsonObject =
    flavour === 'bedrock'
      ? { output_tokens: plan.usage.output }
      : { input_tokens: plan.usage.input, cache_creation_input_tokens: plan.usage.cacheCreation, cache_read_input_tokens: plan.usage.cacheRead, output_tokens: plan.usage.output }
  events.push({ type: 'message_delta', delta: { stop_reason: plan.stopReason, stop_sequence: null }, usage: finalUsage })
  events.push({ type: 'message_stop' })
  return events
}

/** Where `stream-drop` cuts and `stream-error` fails: after the first content delta. */
export const cutIndex = (events: JsonObject[]): number => events.findIndex((e) => e['type'] === 'content_block_delta') + 1

//#endregion

//#region errors

export type AnthropicErrorType =
  | 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error'
  | 'request_too_large' | 'rate_limit_error' | 'api_error' | 'overloaded_error'

export type AnthropicFailure = { status: number; type: AnthropicErrorType; message: string; headers?: Record<string, string> }

export const anthropicErrorBody = (type: AnthropicErrorType, message: string, requestId?: string): JsonObject => ({
  type: 'error',
  error: { type, message },
  ...(requestId ? { request_id: requestId } : {}),
})

/** The scripted failure for these flags, if any (checked before any reply is built). */
export function scriptedFailure(flags: Set<AnthropicBehaviour>): AnthropicFailure | undefined {
  if (flags.has('error-529')) return { status: 529, type: 'overloaded_error', message: 'Overloaded' }
  if (flags.has('error-500')) return { status: 500, type: 'api_error', message: 'Internal server error' }
  if (flags.has('error-400')) return { status: 400, type: 'invalid_request_error', message: 'temperature: Input should be less than or equal to 1' }
  if (!flags.has('error-429')) return undefined
  const reset = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    status: 429,
    type: 'rate_limit_error',
    message:
      'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. ' +
      'You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
    headers: {
      'retry-after': '1',
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': reset,
    },
  }
}

/** Anthropic's own checks on a Messages body that every flavour shares. */
export function validateMessages(body: JsonObject): string | undefined {
  if (!Array.isArray(body['messages'])) return 'messages: Field required'
  if (typeof body['max_tokens'] !== 'number') return 'max_tokens: Field required'
  const bad = badThinkingSignature(body['messages'].filter(isRecord))
  if (bad) return `${bad}: Invalid \`signature\` in \`thinking\` block`
  return undefined
}

//#endregion
