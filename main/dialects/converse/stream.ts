/**
 * ConverseStream events ⇄ canonical ChatEvents, one translator per stream. The Bedrock transport turns
 * each event-stream message into one SSE event named after its `:event-type` (`messageStart`,
 * `contentBlockStart`, `contentBlockDelta`, `contentBlockStop`, `messageStop`, `metadata`) with the JSON
 * payload as data (Bedrock's `p` padding included, ignored here; `messageStart` carries the request id
 * as `requestId`, which becomes the response id); in-band exceptions (`throttlingException`,
 * `modelStreamErrorException`…) arrive as `error` events with the exception name as `__type` (events
 * named after the exception are read too) and end the stream.
 * In: text and reasoning blocks have no start event, their first delta opens them; a tool use opens with
 * `contentBlockStart` (id and name) and streams its input JSON; a delta for another block, or a new kind
 * of delta, closes the open one (canonical blocks never interleave). `messageStop` carries the stop reason
 * but the usage comes after it, in `metadata`: `message_stop` waits for it (or for the end of the stream).
 * Out: the same events, with the usage in a `metadata` event after `messageStop`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html
 */
import type { BlockStart, ChatEvent, ChatUsage, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import { chatError, endedEarly } from '../chatError.ts'
import type { ReplyOptions, StreamFromCanonical, StreamToCanonical } from '../dialect.ts'
import { asNumber, asString, isObject, parseJson } from '../json.ts'
import type { JsonObject } from '../json.ts'
import { flatToolName } from '../parts.ts'
import type { SseEvent } from '../sse.ts'
import { converseError } from './error.ts'
import { converseToolId } from './request.ts'
import { converseUsageFromCanonical, converseUsageToCanonical, stopReasonFromCanonical, stopReasonToCanonical } from './response.ts'

const eventTypes = new Set(['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'])

/** The event's type and payload; the SDK's union shape (`{"messageStart": {…}}`) is read too. */
function unwrap(e: SseEvent): { type: string; payload: JsonObject } | undefined {
  const data = parseJson(e.data)
  if (!isObject(data)) return undefined
  if (e.event) return { type: e.event, payload: data }
  const keys = Object.keys(data)
  const only = keys.length === 1 ? keys[0] : undefined
  return only && (eventTypes.has(only) || /exception$/i.test(only)) && isObject(data[only]) ? { type: only, payload: data[only] as JsonObject } : undefined
}

function toCanonical(): StreamToCanonical {
  let started = false
  let done = false
  let stopped = false
  let stopReason: StopReason = 'end_turn'
  let open = -1
  let openKind: BlockStart['type'] | null = null
  let openAt: number | undefined
  let next = 0

  function close(out: ChatEvent[]): void {
    if (open < 0) return
    out.push({ type: 'block_stop', index: open })
    open = -1
    openKind = null
    openAt = undefined
  }

  function start(out: ChatEvent[], block: BlockStart, at: number | undefined): number {
    close(out)
    open = next++
    openKind = block.type
    openAt = at
    out.push({ type: 'block_start', index: open, block })
    return open
  }

  /** The open block when it is `kind` at Converse index `at`, else a new one. */
  function ensure(out: ChatEvent[], kind: 'text' | 'thinking', at: number | undefined): number {
    return open >= 0 && openKind === kind && openAt === at ? open : start(out, { type: kind }, at)
  }

  function begin(out: ChatEvent[], id = ''): void {
    if (started) return
    started = true
    out.push({ type: 'message_start', id, model: '' })
  }

  function delta(at: number | undefined, d: JsonObject, out: ChatEvent[]): void {
    if (typeof d.text === 'string') {
      if (d.text) out.push({ type: 'text_delta', index: ensure(out, 'text', at), text: d.text })
      return
    }
    if (isObject(d.toolUse)) {
      const input = asString(d.toolUse.input)
      if (input && open >= 0 && openKind === 'tool_call' && openAt === at) out.push({ type: 'tool_delta', index: open, json: input })
      return
    }
    const r = d.reasoningContent
    if (!isObject(r)) return
    if (typeof r.text === 'string' && r.text) out.push({ type: 'thinking_delta', index: ensure(out, 'thinking', at), text: r.text })
    if (typeof r.signature === 'string') out.push({ type: 'signature_delta', index: ensure(out, 'thinking', at), signature: r.signature })
    if (typeof r.redactedContent === 'string') start(out, { type: 'thinking', redactedData: r.redactedContent }, at)
  }

  function finish(out: ChatEvent[]): void {
    done = true
    close(out)
    out.push({ type: 'message_stop', stopReason })
  }

  return {
    push(e: SseEvent) {
      if (done) return []
      const event = unwrap(e)
      if (!event) return []
      const { type, payload } = event
      const out: ChatEvent[] = []
      if (type === 'error' || /exception$/i.test(type)) {
        done = true
        out.push({ type: 'error', error: converseError.toCanonical(0, type === 'error' ? payload : { ...payload, __type: type }) })
        return out
      }
      const at = asNumber(payload.contentBlockIndex)
      switch (type) {
        case 'messageStart':
          begin(out, asString(payload.requestId))
          break
        case 'contentBlockStart': {
          begin(out)
          const s = isObject(payload.start) ? payload.start : {}
          if (isObject(s.toolUse)) start(out, { type: 'tool_call', id: asString(s.toolUse.toolUseId) ?? `tooluse_${at ?? next}`, name: asString(s.toolUse.name) ?? '' }, at)
          break
        }
        case 'contentBlockDelta':
          begin(out)
          if (isObject(payload.delta)) delta(at, payload.delta, out)
          break
        case 'contentBlockStop':
          if (open >= 0 && openAt === at) close(out)
          break
        case 'messageStop':
          begin(out)
          close(out)
          stopReason = stopReasonToCanonical(payload.stopReason)
          stopped = true
          break
        case 'metadata':
          if (isObject(payload.usage)) out.push({ type: 'usage', usage: converseUsageToCanonical(payload.usage) })
          if (stopped) finish(out)
          break
      }
      return out
    },
    end() {
      if (done) return []
      done = true
      if (!stopped) return [{ type: 'error', error: chatError('api_error', endedEarly, 502) }]
      const out: ChatEvent[] = []
      finish(out)
      return out
    },
  }
}

function fromCanonical(_o: ReplyOptions = {}): StreamFromCanonical {
  let usage: ChatUsage = zeroUsage
  let done = false
  const event = (type: string, payload: JsonObject): SseEvent => ({ event: type, data: JSON.stringify(payload) })
  const delta = (contentBlockIndex: number, d: JsonObject): SseEvent[] => [event('contentBlockDelta', { contentBlockIndex, delta: d })]

  return {
    push(e: ChatEvent) {
      if (done) return []
      switch (e.type) {
        case 'message_start':
          return [event('messageStart', e.id ? { role: 'assistant', requestId: e.id } : { role: 'assistant' })]
        case 'block_start':
          if (e.block.type === 'tool_call') {
            const name = flatToolName(e.block)
            return [event('contentBlockStart', { contentBlockIndex: e.index, start: { toolUse: { toolUseId: converseToolId(e.block.id), name } } })]
          }
          if (e.block.type === 'thinking' && e.block.redactedData) return delta(e.index, { reasoningContent: { redactedContent: e.block.redactedData } })
          return []
        case 'text_delta':
          return delta(e.index, { text: e.text })
        case 'thinking_delta':
          return delta(e.index, { reasoningContent: { text: e.text } })
        case 'signature_delta':
          return delta(e.index, { reasoningContent: { signature: e.signature } })
        case 'tool_delta':
          return delta(e.index, { toolUse: { input: e.json } })
        case 'block_stop':
          return [event('contentBlockStop', { contentBlockIndex: e.index })]
        case 'usage':
          usage = e.usage
          return []
        case 'message_stop':
          done = true
          return [event('messageStop', { stopReason: stopReasonFromCanonical(e.stopReason) }), event('metadata', { usage: converseUsageFromCanonical(usage) })]
        case 'error': {
          done = true
          const { body } = converseError.fromCanonical(e.error)
          const type = body.__type ?? 'InternalServerException'
          return [event('error', { __type: type.charAt(0).toLowerCase() + type.slice(1), message: body.message })]
        }
      }
    },
    end: () => [],
  }
}

export const converseStream = { toCanonical, fromCanonical }
