/**
 * OpenAI Responses stream events ⇄ canonical ChatEvents, one translator per stream.
 * In: message content parts, function calls and reasoning items become canonical blocks (several summary
 * parts of one reasoning item are joined by a blank line); hosted tool events are skipped.
 * Out: the event sequence Codex and the OpenAI SDK consume, each event with its `sequence_number`:
 * response.created, response.in_progress, per block output_item.added → part/deltas → done events →
 * output_item.done, then response.completed (response.incomplete when cut short) carrying the whole
 * response with usage. A mid-stream error is an `error` event followed by response.failed.
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
import type { BlockStart, ChatError, ChatEvent, ChatUsage } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import { chatError, endedEarly } from '../chatError.ts'
import type { ReplyOptions, StreamFromCanonical, StreamToCanonical } from '../dialect.ts'
import { openAIError } from '../openai/error.ts'
import { asNumber, asString, defined, isObject, parseJson } from '../json.ts'
import type { JsonObject } from '../json.ts'
import type { SseEvent } from '../sse.ts'
import {
  functionCallItem,
  namespacedTools,
  responseShell,
  responsesUsageFromCanonical,
  responsesUsageToCanonical,
  statusOf,
  stopReasonOf,
} from './response.ts'
import type {
  ResponsesFunctionCallItem,
  ResponsesOutputMessage,
  ResponsesOutputText,
  ResponsesReasoningItem,
} from './types.ts'

function toCanonical(): StreamToCanonical {
  let started = false
  let done = false
  let next = 0
  let sawToolCall = false
  const items = new Map<number, { index: number; kind: 'tool' | 'thinking'; streamed: boolean }>() // output_index →
  const parts = new Map<string, number>() // `${output_index}:${content_index}` → canonical index

  function open(out: ChatEvent[], block: BlockStart): number {
    const index = next++
    out.push({ type: 'block_start', index, block })
    return index
  }

  function finish(response: JsonObject, out: ChatEvent[]): void {
    done = true
    // Blocks whose done events never came are closed before the end.
    for (const index of [...parts.values(), ...[...items.values()].map((i) => i.index)].sort((a, b) => a - b)) {
      out.push({ type: 'block_stop', index })
    }
    out.push({ type: 'usage', usage: responsesUsageToCanonical(response.usage) })
    out.push({ type: 'message_stop', stopReason: stopReasonOf(response.status, response.incomplete_details, sawToolCall) })
  }

  function failure(response: JsonObject): ChatError {
    const e = isObject(response.error) ? response.error : {}
    const message = asString(e.message) ?? 'The upstream response failed.'
    return openAIError.toCanonical(0, { error: { message, code: e.code, type: e.code } })
  }

  return {
    push(e: SseEvent) {
      if (done) return []
      const data = parseJson(e.data)
      if (!isObject(data)) return []
      const out: ChatEvent[] = []
      const outputIndex = asNumber(data.output_index) ?? -1
      const item = items.get(outputIndex)
      const key = `${outputIndex}:${asNumber(data.content_index) ?? 0}`
      switch (data.type) {
        case 'response.created':
        case 'response.in_progress':
          if (!started && isObject(data.response)) {
            started = true
            const r = data.response
            const created = asNumber(r.created_at)
            const start: ChatEvent = { type: 'message_start', id: asString(r.id) ?? '', model: asString(r.model) ?? '' }
            if (created !== undefined) start.created = created
            out.push(start)
          }
          break
        case 'response.output_item.added': {
          const it = isObject(data.item) ? data.item : {}
          if (it.type === 'function_call') {
            sawToolCall = true
            const block: BlockStart = { type: 'tool_call', id: asString(it.call_id) ?? '', name: asString(it.name) ?? '' }
            const namespace = asString(it.namespace)
            if (namespace) block.namespace = namespace
            items.set(outputIndex, { index: open(out, block), kind: 'tool', streamed: false })
          } else if (it.type === 'reasoning') {
            const id = asString(it.id)
            const index = open(out, defined<BlockStart>({ type: 'thinking', reasoningId: id }))
            items.set(outputIndex, { index, kind: 'thinking', streamed: false })
          }
          break
        }
        case 'response.content_part.added': {
          const part = isObject(data.part) ? data.part : {}
          if (part.type !== 'output_text' && part.type !== 'refusal') break
          const index = open(out, { type: 'text' })
          parts.set(key, index)
          const text = asString(part.text) ?? asString(part.refusal)
          if (text) out.push({ type: 'text_delta', index, text })
          break
        }
        case 'response.output_text.delta':
        case 'response.refusal.delta': {
          const index = parts.get(key)
          if (index !== undefined && typeof data.delta === 'string' && data.delta) {
            out.push({ type: 'text_delta', index, text: data.delta })
          }
          break
        }
        case 'response.content_part.done': {
          const index = parts.get(key)
          if (index !== undefined) out.push({ type: 'block_stop', index })
          parts.delete(key)
          break
        }
        case 'response.function_call_arguments.delta':
          if (item?.kind === 'tool' && typeof data.delta === 'string' && data.delta) {
            item.streamed = true
            out.push({ type: 'tool_delta', index: item.index, json: data.delta })
          }
          break
        case 'response.reasoning_summary_part.added':
          // A second summary part of the same item: keep the parts apart as paragraphs.
          if (item?.kind === 'thinking' && item.streamed) out.push({ type: 'thinking_delta', index: item.index, text: '\n\n' })
          break
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (item?.kind === 'thinking' && typeof data.delta === 'string' && data.delta) {
            item.streamed = true
            out.push({ type: 'thinking_delta', index: item.index, text: data.delta })
          }
          break
        case 'response.output_item.done': {
          if (!item) break
          const it = isObject(data.item) ? data.item : {}
          if (item.kind === 'tool' && !item.streamed && typeof it.arguments === 'string' && it.arguments) {
            out.push({ type: 'tool_delta', index: item.index, json: it.arguments })
          }
          out.push({ type: 'block_stop', index: item.index })
          items.delete(outputIndex)
          break
        }
        case 'response.completed':
        case 'response.incomplete':
          finish(isObject(data.response) ? data.response : {}, out)
          break
        case 'response.failed':
          done = true
          out.push({ type: 'error', error: failure(isObject(data.response) ? data.response : {}) })
          break
        case 'error':
          done = true
          out.push({ type: 'error', error: openAIError.toCanonical(0, data) })
          break
      }
      return out
    },
    end() {
      if (done) return []
      done = true
      return [{ type: 'error', error: chatError('api_error', endedEarly, 502) }]
    },
  }
}

type StreamItem = ResponsesOutputMessage | ResponsesFunctionCallItem | ResponsesReasoningItem
type OpenItem = { outputIndex: number; item: StreamItem; text: string; summaryOpen: boolean }

/** Error codes Codex and the SDK act on (retry on `server_is_overloaded`, stop on `context_length_exceeded`…). */
const errorCodeOfKind: Record<ChatError['kind'], string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'invalid_api_key',
  permission: 'permission_denied',
  not_found: 'model_not_found',
  request_too_large: 'context_length_exceeded',
  rate_limit: 'rate_limit_exceeded',
  overloaded: 'server_is_overloaded',
  timeout: 'server_error',
  api_error: 'server_error',
}

function fromCanonical(o: ReplyOptions = {}): StreamFromCanonical {
  const names = namespacedTools(o.request)
  let seq = 0
  let usage: ChatUsage = zeroUsage
  let done = false
  let response = responseShell('', '', Math.floor((o.createdAt ?? 0) / 1000), o)
  const output: StreamItem[] = []
  const open = new Map<number, OpenItem>() // canonical block index →

  const event = (type: string, payload: JsonObject): SseEvent => ({
    event: type,
    data: JSON.stringify({ type, sequence_number: seq++, ...payload }),
  })
  const itemId = (prefix: string, outputIndex: number) => `${prefix}_${response.id.replace(/^resp_/, '')}_${outputIndex}`

  function blockStart(index: number, b: BlockStart): SseEvent[] {
    const outputIndex = output.length
    const item: StreamItem =
      b.type === 'text'
        ? { id: itemId('msg', outputIndex), type: 'message', status: 'in_progress', role: 'assistant', content: [] }
        : b.type === 'tool_call'
          ? functionCallItem(b, names, itemId('fc', outputIndex), '', 'in_progress')
          : { id: b.reasoningId ?? itemId('rs', outputIndex), type: 'reasoning', summary: [] }
    output.push(item)
    open.set(index, { outputIndex, item, text: '', summaryOpen: false })
    const out = [event('response.output_item.added', { output_index: outputIndex, item })]
    if (b.type === 'text') {
      const part = { type: 'output_text', text: '', annotations: [] }
      out.push(event('response.content_part.added', { item_id: item.id, output_index: outputIndex, content_index: 0, part }))
    }
    return out
  }

  function blockDelta(entry: OpenItem, delta: string): SseEvent[] {
    entry.text += delta
    const at = { item_id: entry.item.id, output_index: entry.outputIndex }
    if (entry.item.type === 'message') {
      return [event('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] })]
    }
    if (entry.item.type === 'function_call') return [event('response.function_call_arguments.delta', { ...at, delta })]
    const out: SseEvent[] = []
    if (!entry.summaryOpen) {
      entry.summaryOpen = true
      const part = { type: 'summary_text', text: '' }
      out.push(event('response.reasoning_summary_part.added', { ...at, summary_index: 0, part }))
    }
    out.push(event('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta }))
    return out
  }

  function blockStop(index: number): SseEvent[] {
    const entry = open.get(index)
    if (!entry) return []
    open.delete(index)
    const { outputIndex, item, text } = entry
    const at = { item_id: item.id, output_index: outputIndex }
    const out: SseEvent[] = []
    if (item.type === 'message') {
      const part: ResponsesOutputText = { type: 'output_text', text, annotations: [] }
      out.push(event('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] }))
      out.push(event('response.content_part.done', { ...at, content_index: 0, part }))
      item.status = 'completed'
      item.content = [part]
    } else if (item.type === 'function_call') {
      out.push(event('response.function_call_arguments.done', { ...at, name: item.name, arguments: text }))
      item.status = 'completed'
      item.arguments = text
    } else if (entry.summaryOpen) {
      const part = { type: 'summary_text' as const, text }
      out.push(event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text }))
      out.push(event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part }))
      item.summary = [part]
    }
    out.push(event('response.output_item.done', { output_index: outputIndex, item }))
    return out
  }

  return {
    push(e: ChatEvent) {
      if (done) return []
      switch (e.type) {
        case 'message_start':
          response = responseShell(e.id, e.model, e.created ?? response.created_at, o)
          return [event('response.created', { response }), event('response.in_progress', { response })]
        case 'block_start':
          return blockStart(e.index, e.block)
        case 'text_delta':
        case 'thinking_delta':
        case 'tool_delta': {
          const entry = open.get(e.index)
          return entry ? blockDelta(entry, e.type === 'tool_delta' ? e.json : e.text) : []
        }
        case 'block_stop':
          return blockStop(e.index)
        case 'usage':
          usage = e.usage
          return []
        case 'message_stop': {
          done = true
          const out = [...open.keys()].flatMap(blockStop)
          Object.assign(response, statusOf(e.stopReason), { output, usage: responsesUsageFromCanonical(usage) })
          out.push(event(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response }))
          return out
        }
        case 'error': {
          done = true
          const code = e.error.code ?? errorCodeOfKind[e.error.kind]
          Object.assign(response, { status: 'failed', output, error: { code, message: e.error.message } })
          return [
            event('error', { code, message: e.error.message, param: e.error.param ?? null }),
            event('response.failed', { response }),
          ]
        }
        default:
          return []
      }
    },
    end: () => [],
  }
}

/** `response.output_text.delta` and the other `.delta` events: text, arguments, reasoning; usage and the end come in others. */
function usageFree(e: SseEvent): boolean {
  return e.event !== undefined && e.event.endsWith('.delta')
}

export const responsesStream = { toCanonical, fromCanonical, usageFree }
