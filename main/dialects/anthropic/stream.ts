/**
 * Anthropic Messages stream events ⇄ canonical ChatEvents, one translator per stream.
 * In: blocks the canonical model has no room for (server tool use and results, citations) are skipped
 * and the remaining blocks renumbered; `ping` is dropped; usage accumulates across `message_start` and the
 * cumulative `message_delta`. Out: `message_start` carries the usage known so far (chat upstreams report
 * it last: then the input count is `ReplyOptions.inputTokens`, an estimate), the final `message_delta`
 * carries all of it, the real input count included.
 * https://docs.claude.com/en/docs/build-with-claude/streaming
 */
import type { BlockStart, ChatEvent, ChatUsage, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import { chatError, endedEarly } from '../chatError.ts'
import type { ReplyOptions, StreamFromCanonical, StreamToCanonical, TextLaneOut } from '../dialect.ts'
import { asString, defined, isObject, parseJson } from '../json.ts'
import { flatToolName } from '../parts.ts'
import type { SseEvent } from '../sse.ts'
import { anthropicError } from './error.ts'
import { anthropicToolId } from './request.ts'
import {
  anthropicUsageFromCanonical,
  anthropicUsageToCanonical,
  stopReasonFromCanonical,
  stopReasonToCanonical,
} from './response.ts'

function toCanonical(): StreamToCanonical {
  let done = false
  let started = false
  let next = 0
  let usage: ChatUsage = zeroUsage
  let stop: StopReason | null = null
  let stopSequence: string | undefined
  const blocks = new Map<number, number>() // Anthropic index → canonical index

  function stopEvent(): ChatEvent {
    return defined<ChatEvent>({ type: 'message_stop', stopReason: stop ?? 'end_turn', stopSequence })
  }

  function blockStart(index: unknown, b: Record<string, unknown>, out: ChatEvent[]): void {
    if (typeof index !== 'number') return
    const at = next
    if (b.type === 'text') {
      out.push({ type: 'block_start', index: at, block: { type: 'text' } })
      if (typeof b.text === 'string' && b.text) out.push({ type: 'text_delta', index: at, text: b.text })
    } else if (b.type === 'tool_use') {
      const block: BlockStart = { type: 'tool_call', id: asString(b.id) ?? '', name: asString(b.name) ?? '' }
      out.push({ type: 'block_start', index: at, block })
      // `input` is `{}` here in Anthropic's own streams; a proxy that sends it whole gets it as one delta.
      if (isObject(b.input) && Object.keys(b.input).length) {
        out.push({ type: 'tool_delta', index: at, json: JSON.stringify(b.input) })
      }
    } else if (b.type === 'thinking') {
      out.push({ type: 'block_start', index: at, block: { type: 'thinking' } })
      if (typeof b.thinking === 'string' && b.thinking) out.push({ type: 'thinking_delta', index: at, text: b.thinking })
      if (typeof b.signature === 'string' && b.signature) {
        out.push({ type: 'signature_delta', index: at, signature: b.signature })
      }
    } else if (b.type === 'redacted_thinking') {
      out.push({ type: 'block_start', index: at, block: { type: 'thinking', redactedData: asString(b.data) ?? '' } })
    } else return
    blocks.set(index, at)
    next++
  }

  function blockDelta(index: number, d: Record<string, unknown>, out: ChatEvent[]): void {
    const text = asString(d.text) ?? asString(d.partial_json) ?? asString(d.thinking) ?? asString(d.signature)
    if (!text) return
    if (d.type === 'text_delta') out.push({ type: 'text_delta', index, text })
    else if (d.type === 'input_json_delta') out.push({ type: 'tool_delta', index, json: text })
    else if (d.type === 'thinking_delta') out.push({ type: 'thinking_delta', index, text })
    else if (d.type === 'signature_delta') out.push({ type: 'signature_delta', index, signature: text })
  }

  return {
    push(e: SseEvent) {
      if (done) return []
      const data = parseJson(e.data)
      if (!isObject(data)) return []
      const out: ChatEvent[] = []
      switch (data.type) {
        case 'message_start': {
          const m = isObject(data.message) ? data.message : {}
          started = true
          // Usage first, so a caller-side message_start can carry the input tokens as Anthropic's does.
          if (isObject(m.usage)) {
            usage = anthropicUsageToCanonical(m.usage)
            out.push({ type: 'usage', usage })
          }
          out.push({ type: 'message_start', id: asString(m.id) ?? '', model: asString(m.model) ?? '' })
          break
        }
        case 'content_block_start':
          if (isObject(data.content_block)) blockStart(data.index, data.content_block, out)
          break
        case 'content_block_delta': {
          const index = typeof data.index === 'number' ? blocks.get(data.index) : undefined
          if (index !== undefined && isObject(data.delta)) blockDelta(index, data.delta, out)
          break
        }
        case 'content_block_stop': {
          const index = typeof data.index === 'number' ? blocks.get(data.index) : undefined
          if (index !== undefined) out.push({ type: 'block_stop', index })
          break
        }
        case 'message_delta':
          if (isObject(data.delta)) {
            if (data.delta.stop_reason) stop = stopReasonToCanonical(data.delta.stop_reason)
            if (typeof data.delta.stop_sequence === 'string') stopSequence = data.delta.stop_sequence
          }
          if (isObject(data.usage)) {
            usage = anthropicUsageToCanonical(data.usage, usage)
            out.push({ type: 'usage', usage })
          }
          break
        case 'message_stop':
          done = true
          out.push(stopEvent())
          break
        case 'error':
          done = true
          out.push({ type: 'error', error: anthropicError.toCanonical(0, data) })
          break
      }
      return out
    },
    end() {
      if (done) return []
      done = true
      if (started && stop !== null) return [stopEvent()]
      return [{ type: 'error', error: chatError('api_error', endedEarly, 502) }]
    },
  }
}

function fromCanonical(o: ReplyOptions = {}): StreamFromCanonical {
  let usage: ChatUsage = zeroUsage
  let done = false
  let next = 0
  const blocks = new Map<number, number>() // canonical index → Anthropic index
  const textHeads = new Map<number, string>() // canonical index → a text delta's data up to its text
  let lane: (TextLaneOut & { index: number }) | null = null

  const event = (type: string, payload: Record<string, unknown>): SseEvent => ({
    event: type,
    data: JSON.stringify({ type, ...payload }),
  })
  const delta = (canonical: number, d: Record<string, unknown>): SseEvent[] => {
    const index = blocks.get(canonical)
    return index === undefined ? [] : [event('content_block_delta', { index, delta: d })]
  }

  return {
    push(e: ChatEvent) {
      if (done) return []
      switch (e.type) {
        case 'message_start':
          return [
            event('message_start', {
              message: {
                id: e.id,
                type: 'message',
                role: 'assistant',
                model: o.model ?? e.model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                // Anthropic knows the input count up front; a chat upstream reports it last: announce the estimate.
                usage: anthropicUsageFromCanonical(usage.inputTokens || !o.inputTokens ? usage : { ...usage, inputTokens: o.inputTokens }),
              },
            }),
          ]
        case 'block_start': {
          const index = next++
          blocks.set(e.index, index)
          const b = e.block
          if (b.type === 'text') textHeads.set(e.index, `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":`)
          const content_block =
            b.type === 'text'
              ? { type: 'text', text: '' }
              : b.type === 'tool_call'
                ? { type: 'tool_use', id: anthropicToolId(b.id), name: flatToolName(b), input: {} }
                : b.redactedData !== undefined
                  ? { type: 'redacted_thinking', data: b.redactedData }
                  : { type: 'thinking', thinking: '', signature: '' }
          return [event('content_block_start', { index, content_block })]
        }
        case 'text_delta': {
          // The event of nearly every chunk, written as text, wire form included: JSON.stringify of the
          // nested object cost 3× this. A JSON string literal has no raw newline, so `data` is one line.
          const head = textHeads.get(e.index)
          if (head === undefined) return delta(e.index, { type: 'text_delta', text: e.text })
          const data = head + (e.literal ?? JSON.stringify(e.text)) + '}}'
          return [{ event: 'content_block_delta', data, wire: 'event: content_block_delta\ndata: ' + data + '\n\n' }]
        }
        case 'tool_delta':
          return delta(e.index, { type: 'input_json_delta', partial_json: e.json })
        case 'thinking_delta':
          return delta(e.index, { type: 'thinking_delta', thinking: e.text })
        case 'signature_delta':
          return delta(e.index, { type: 'signature_delta', signature: e.signature })
        case 'block_stop': {
          const index = blocks.get(e.index)
          return index === undefined ? [] : [event('content_block_stop', { index })]
        }
        case 'usage':
          usage = e.usage
          return []
        case 'message_stop':
          done = true
          return [
            event('message_delta', {
              delta: { stop_reason: stopReasonFromCanonical(e.stopReason), stop_sequence: e.stopSequence ?? null },
              usage: anthropicUsageFromCanonical(usage),
            }),
            event('message_stop', {}),
          ]
        case 'error':
          done = true
          return [event('error', anthropicError.fromCanonical(e.error).body)]
      }
    },
    end: () => [],
    // What the text_delta case writes, as text around the literal.
    textLane(index) {
      if (done) return null
      if (lane?.index === index) return lane
      const head = textHeads.get(index)
      if (head === undefined) return null
      lane = { head: 'event: content_block_delta\ndata: ' + head, tail: '}}\n\n', index }
      return lane
    },
  }
}

/** Deltas and pings: nearly every event of a stream, and none carries usage, the stop or an error. */
function usageFree(e: SseEvent): boolean {
  return e.event === 'content_block_delta' || e.event === 'ping'
}

export const anthropicStream = { toCanonical, fromCanonical, usageFree }
