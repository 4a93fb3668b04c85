/**
 * OpenAI Responses `response` objects ⇄ canonical ChatResponse, with the usage, status and naming helpers
 * the stream converters share. Pure.
 * Usage: `input_tokens` includes `cached_tokens` and `output_tokens` includes `reasoning_tokens`: the
 * canonical rule, so the numbers map one to one.
 */
import type { ChatRequest, ChatResponse, ChatUsage, OutputPart, StopReason } from '../canonical.ts'
import { namespaceSeparator, zeroUsage } from '../canonical.ts'
import type { ReplyOptions } from '../dialect.ts'
import { asArray, asNumber, asString, defined, isObject } from '../json.ts'
import { textPart } from '../parts.ts'
import { functionCallToPart, reasoningToThinking } from './request.ts'
import type {
  ResponsesFunctionCallItem,
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesOutputText,
  ResponsesReasoningItem,
  ResponsesResponse,
  ResponsesUsage,
} from './types.ts'

export function responsesUsageToCanonical(u: unknown): ChatUsage {
  if (!isObject(u)) return zeroUsage
  const input = isObject(u.input_tokens_details) ? u.input_tokens_details : {}
  const output = isObject(u.output_tokens_details) ? u.output_tokens_details : {}
  return {
    inputTokens: asNumber(u.input_tokens) ?? 0,
    outputTokens: asNumber(u.output_tokens) ?? 0,
    cacheReadTokens: asNumber(input.cached_tokens) ?? 0,
    cacheWriteTokens: asNumber(input.cache_write_tokens) ?? 0,
    reasoningTokens: asNumber(output.reasoning_tokens) ?? 0,
  }
}

export function responsesUsageFromCanonical(u: ChatUsage): ResponsesUsage {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: u.cacheWriteTokens
      ? { cached_tokens: u.cacheReadTokens, cache_write_tokens: u.cacheWriteTokens }
      : { cached_tokens: u.cacheReadTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  }
}

/** How a finished response's status and output say it stopped. */
export function stopReasonOf(status: unknown, incomplete: unknown, sawToolCall: boolean): StopReason {
  if (status === 'failed') return 'error'
  if (status === 'incomplete') {
    const reason = isObject(incomplete) ? incomplete.reason : undefined
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens'
  }
  return sawToolCall ? 'tool_use' : 'end_turn'
}

export function statusOf(reason: StopReason): Pick<ResponsesResponse, 'status' | 'incomplete_details'> {
  if (reason === 'max_tokens') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }
  if (reason === 'content_filter' || reason === 'refusal') {
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }
  }
  if (reason === 'error') return { status: 'failed', incomplete_details: null }
  return { status: 'completed', incomplete_details: null }
}

export type ToolNames = ReadonlyMap<string, { name: string; namespace: string }>

/** Flat tool names (`namespace__name`) of the caller's namespaced tools, to give calls their namespace back. */
export function namespacedTools(request: ChatRequest | undefined): ToolNames {
  const names = new Map<string, { name: string; namespace: string }>()
  for (const t of request?.tools ?? []) {
    if (t.type !== 'function' || !t.namespace) continue
    names.set(t.namespace.name + namespaceSeparator + t.name, { name: t.name, namespace: t.namespace.name })
  }
  return names
}

export function functionCallItem(
  call: { id: string; name: string; namespace?: string },
  names: ToolNames,
  itemId: string,
  args: string,
  status: 'in_progress' | 'completed',
): ResponsesFunctionCallItem {
  const named = call.namespace ? { name: call.name, namespace: call.namespace } : names.get(call.name)
  const name = named?.name ?? call.name
  const namespace = named?.namespace
  const item: ResponsesFunctionCallItem = { id: itemId, type: 'function_call', status, arguments: args, call_id: call.id, name }
  return defined({ ...item, namespace })
}

/** The response object around the output, echoing what the caller asked for where it is known. */
export function responseShell(id: string, model: string, createdAt: number, o: ReplyOptions): ResponsesResponse {
  const request = o.request
  return {
    id: id.startsWith('resp_') ? id : `resp_${id}`,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    model: o.model ?? model,
    output: [],
    usage: null,
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: request?.metadata ?? {},
    parallel_tool_calls: request?.parallelToolCalls ?? true,
    temperature: request?.temperature ?? null,
    top_p: request?.topP ?? null,
    tool_choice: 'auto',
    tools: [],
    max_output_tokens: request?.maxTokens ?? null,
  }
}

function toCanonical(body: unknown): ChatResponse {
  const b = isObject(body) ? body : {}
  const content: OutputPart[] = []
  for (const item of asArray(b.output)) {
    if (!isObject(item)) continue
    if (item.type === 'message') {
      for (const c of asArray(item.content)) {
        if (!isObject(c)) continue
        const text = c.type === 'output_text' ? asString(c.text) : c.type === 'refusal' ? asString(c.refusal) : undefined
        if (text !== undefined) content.push(textPart(text))
      }
    } else if (item.type === 'function_call') content.push(functionCallToPart(item))
    else if (item.type === 'reasoning') content.push(reasoningToThinking(item))
    else content.push({ type: 'raw', dialect: 'responses', value: item })
  }
  const r: ChatResponse = {
    id: asString(b.id) ?? '',
    model: asString(b.model) ?? '',
    content,
    stopReason: stopReasonOf(b.status, b.incomplete_details, content.some((p) => p.type === 'tool_call')),
    usage: responsesUsageToCanonical(b.usage),
  }
  const created = asNumber(b.created_at)
  if (created !== undefined) r.created = created
  return r
}

function fromCanonical(r: ChatResponse, o: ReplyOptions = {}): ResponsesResponse {
  const names = namespacedTools(o.request)
  const output: ResponsesOutputItem[] = []
  let message: ResponsesOutputMessage | undefined // consecutive text parts share one message item
  r.content.forEach((p, i) => {
    if (p.type !== 'text') message = undefined
    if (p.type === 'text') {
      const text: ResponsesOutputText = { type: 'output_text', text: p.text, annotations: [] }
      if (message) message.content.push(text)
      else {
        message = { type: 'message', id: `msg_${r.id}_${i}`, status: 'completed', role: 'assistant', content: [text] }
        output.push(message)
      }
    } else if (p.type === 'tool_call') output.push(functionCallItem(p, names, `fc_${r.id}_${i}`, p.arguments, 'completed'))
    else if (p.type === 'thinking') {
      const item: ResponsesReasoningItem = {
        type: 'reasoning',
        id: p.reasoningId ?? `rs_${r.id}_${i}`,
        summary: p.text ? [{ type: 'summary_text', text: p.text }] : [],
      }
      if (p.encryptedContent) item.encrypted_content = p.encryptedContent
      output.push(item)
    } else if (p.dialect === 'responses') output.push(p.value as ResponsesOutputItem)
  })
  const response = responseShell(r.id, r.model, r.created ?? Math.floor((o.createdAt ?? 0) / 1000), o)
  Object.assign(response, statusOf(r.stopReason), { output, usage: responsesUsageFromCanonical(r.usage) })
  if (r.stopReason === 'error') response.error = { code: 'server_error', message: 'The upstream did not complete the response.' }
  return response
}

export const responsesResponse = { toCanonical, fromCanonical }
