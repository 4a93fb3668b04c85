/**
 * Portkey's `strict_open_ai_compliance: false` for OpenAI chat answers translated from Anthropic:
 * the message (or stream delta) also carries Anthropic's content blocks as `content_blocks` (every
 * block but `tool_use`, which is already in `tool_calls`), and `finish_reason` is Anthropic's own
 * stop reason (`end_turn`, `max_tokens`…) instead of OpenAI's. Added on top of the strict
 * translation, which stays the default. https://portkey.ai/docs/api-reference/inference-api/headers
 * Pure: no I/O, no clock.
 */
import { isObject } from './json.ts'
import type { SseEvent } from './sse.ts'

/** A whole translated chat completion, with the Anthropic message it came from. */
export function addAnthropicExtras(chat: unknown, message: unknown): unknown {
  if (!isObject(chat) || !isObject(message) || !Array.isArray(chat.choices)) return chat
  const choice: unknown = chat.choices[0]
  if (!isObject(choice) || !isObject(choice.message)) return chat
  const blocks = Array.isArray(message.content) ? message.content.filter((b) => !isObject(b) || b.type !== 'tool_use') : []
  const stop = typeof message.stop_reason === 'string' ? message.stop_reason : choice.finish_reason
  return { ...chat, choices: [{ ...choice, message: { ...choice.message, content_blocks: blocks }, finish_reason: stop }, ...chat.choices.slice(1)] }
}

export type ChatExtrasStream = {
  /** One Anthropic event, and the chat chunks the strict translation made of it: the chunks with the extras. */
  push(upstream: SseEvent, chunks: SseEvent[]): SseEvent[]
}

/** Per stream: Portkey puts each non-tool block start or delta in `delta.content_blocks: [{index, delta}]`. */
export function createChatExtrasStream(): ChatExtrasStream {
  let stopReason: string | null = null
  let last: Chunk | null = null // the latest chunk, the template for chunks of our own

  return {
    push(upstream, chunks) {
      const data = parseJson(upstream.data)
      if (isObject(data) && data.type === 'message_delta' && isObject(data.delta) && typeof data.delta.stop_reason === 'string') stopReason = data.delta.stop_reason
      let block = blockOf(data)
      const out: SseEvent[] = []
      for (const c of chunks) {
        const chunk = chunkOf(c)
        const choice = chunk?.choices[0]
        if (!chunk || !isObject(choice)) {
          out.push(c)
          continue
        }
        last = chunk
        let changed = false
        if (choice.finish_reason && stopReason) {
          choice.finish_reason = stopReason
          changed = true
        }
        if (block && isObject(choice.delta) && !choice.delta.tool_calls) {
          choice.delta.content_blocks = [block]
          block = null
          changed = true
        }
        out.push(changed ? { ...c, data: JSON.stringify(chunk) } : c)
      }
      // A block start, a signature…: nothing in the strict translation carries it, so a chunk of its own.
      if (block && last) {
        const { id, object, created, model } = last
        out.push({ data: JSON.stringify({ id, object, created, model, choices: [{ index: 0, delta: { content_blocks: [block] }, logprobs: null, finish_reason: null }] }) })
      }
      return out
    },
  }
}

/** `{index, delta}` for a content block start or delta that is not a tool call's, the block's `type` left out. */
function blockOf(data: unknown): Record<string, unknown> | null {
  if (!isObject(data)) return null
  const part = data.type === 'content_block_start' ? data.content_block : data.type === 'content_block_delta' ? data.delta : null
  if (!isObject(part) || part.type === 'tool_use' || part.type === 'input_json_delta') return null
  const { type: _type, ...delta } = part
  return { index: data.index, delta }
}

type Chunk = { choices: unknown[]; [k: string]: unknown }

function chunkOf(e: SseEvent): Chunk | null {
  if (e.data === '[DONE]' || e.event) return null
  const j = parseJson(e.data)
  return isObject(j) && j.object === 'chat.completion.chunk' && Array.isArray(j.choices) ? (j as Chunk) : null
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
