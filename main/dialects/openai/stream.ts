/**
 * OpenAI chat completion chunks ⇄ canonical ChatEvents, one translator per stream.
 * In: `reasoning_content`/`reasoning`, `content` and each tool call (by its `index`) open canonical blocks
 * in the order they appear; the block before is closed. `finish_reason` closes the last block, and
 * `message_stop` waits for `[DONE]` (or the end of the stream) so a trailing usage chunk is not lost.
 * Out: one chunk per delta; the usage chunk only when the caller asked (`stream_options.include_usage`).
 * https://platform.openai.com/docs/api-reference/chat-streaming
 */
import type { BlockStart, ChatEvent, ChatUsage, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import { chatError, endedEarly } from '../chatError.ts'
import type { ReplyOptions, StreamFromCanonical, StreamToCanonical, TextLaneIn } from '../dialect.ts'
import { asNumber, asString, isObject, parseJson } from '../json.ts'
import { flatToolName } from '../parts.ts'
import type { SseEvent } from '../sse.ts'
import { openAIError } from './error.ts'
import {
  finishReasonFromCanonical,
  finishReasonToCanonical,
  openAIUsageFromCanonical,
  openAIUsageToCanonical,
} from './response.ts'
import type { OpenAIChatDelta, OpenAIChatUsage } from './types.ts'

function toCanonical(): StreamToCanonical {
  let started = false
  let done = false
  let open = -1
  let openKind: 'text' | 'thinking' | 'tool' | null = null
  let next = 0
  let stop: StopReason | null = null
  let sawTool = false
  let lastTool = -1
  const tools = new Map<number, number>() // chat tool_calls[].index → canonical block index
  /** The text around the content string of this stream's first plain text chunk (textTemplate). */
  let plain: TextTemplate | null = null
  /** The template as SSE text, for the block it writes into: textLane. */
  let lane: TextLaneIn | null = null

  function close(out: ChatEvent[]): void {
    if (open < 0) return
    out.push({ type: 'block_stop', index: open })
    open = -1
    openKind = null
  }

  function start(out: ChatEvent[], block: BlockStart, kind: 'text' | 'thinking' | 'tool'): number {
    close(out)
    open = next++
    openKind = kind
    out.push({ type: 'block_start', index: open, block })
    return open
  }

  function finish(out: ChatEvent[]): ChatEvent[] {
    close(out)
    done = true
    out.push({ type: 'message_stop', stopReason: stop ?? 'end_turn' })
    return out
  }

  function delta(d: OpenAIChatDelta, out: ChatEvent[]): void {
    const reasoning = d.reasoning_content ?? d.reasoning
    if (typeof reasoning === 'string' && reasoning) {
      if (openKind !== 'thinking') start(out, { type: 'thinking' }, 'thinking')
      out.push({ type: 'thinking_delta', index: open, text: reasoning })
    }
    for (const text of [d.content, d.refusal]) {
      if (typeof text !== 'string' || !text) continue
      if (openKind !== 'text') start(out, { type: 'text' }, 'text')
      out.push({ type: 'text_delta', index: open, text })
    }
    if (!Array.isArray(d.tool_calls)) return
    for (const call of d.tool_calls) {
      if (!isObject(call)) continue
      // A server that omits `index` sends one call per id (or continues the last one).
      const key = asNumber(call.index) ?? (call.id || lastTool < 0 ? tools.size : lastTool)
      lastTool = key
      let index = tools.get(key)
      if (index === undefined) {
        const id = asString(call.id) || `call_${key}`
        index = start(out, { type: 'tool_call', id, name: asString(call.function?.name) ?? '' }, 'tool')
        tools.set(key, index)
        sawTool = true
      }
      const args = call.function?.arguments
      if (typeof args === 'string' && args) out.push({ type: 'tool_delta', index, json: args })
    }
  }

  return {
    push(e: SseEvent) {
      if (done) return []
      if (e.data === '[DONE]') return started ? finish([]) : []
      const literal = plain ? literalIn(e.data, plain) : undefined
      if (literal !== undefined) {
        // The same chunk as the template but for its content: what the full path below would give.
        // literalIn showed it well-formed: without a backslash it is the text in quotes.
        const text = literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1)
        if (openKind === 'text' && text) return [{ type: 'text_delta', index: open, text, literal }]
        const out: ChatEvent[] = []
        delta({ content: text }, out)
        return out
      }
      const chunk = parseJson(e.data)
      if (!isObject(chunk)) return []
      if (started && !plain) plain = textTemplate(e.data, chunk)
      const out: ChatEvent[] = []
      if (chunk.error !== undefined) {
        done = true
        out.push({ type: 'error', error: openAIError.toCanonical(0, chunk) })
        return out
      }
      if (!started) {
        started = true
        const created = asNumber(chunk.created)
        out.push(
          created === undefined
            ? { type: 'message_start', id: asString(chunk.id) ?? '', model: asString(chunk.model) ?? '' }
            : { type: 'message_start', id: asString(chunk.id) ?? '', model: asString(chunk.model) ?? '', created },
        )
      }
      const choices = Array.isArray(chunk.choices) ? chunk.choices : []
      const choice = choices.find((c) => isObject(c) && c.index === 0) ?? choices[0]
      if (isObject(choice)) {
        if (isObject(choice.delta)) delta(choice.delta as OpenAIChatDelta, out)
        if (choice.finish_reason) {
          close(out)
          stop = sawTool && choice.finish_reason === 'stop' ? 'tool_use' : finishReasonToCanonical(choice.finish_reason)
        }
      }
      if (isObject(chunk.usage)) out.push({ type: 'usage', usage: openAIUsageToCanonical(chunk.usage) })
      return out
    },
    end() {
      if (done) return []
      if (stop !== null) return finish([])
      done = true
      return [{ type: 'error', error: chatError('api_error', endedEarly, 502) }]
    },
    // A template chunk with a text block open is one text_delta into it (push's first branch above).
    textLane() {
      if (done || !plain || openKind !== 'text') return null
      if (lane === null || lane.index !== open) lane = { prefix: 'data: ' + plain.head, suffix: plain.tail + '\n\n', index: open }
      return lane
    },
  }
}

/**
 * Nearly every chunk of a stream is a text delta whose bytes differ from the one before only inside
 * the content string (same id, created, model, field order). The first such chunk is kept as the text
 * before and after that string; a later chunk made of exactly that text around one well-formed JSON
 * string literal parses, token for token, to the same object with a different content, so its text
 * is read without JSON.parse (the translated stream's largest own cost). Anything else, or a template
 * that cannot be shown to hold, takes the full path.
 */
type TextTemplate = { head: string; tail: string }

/** Only a chunk whose single choice carries nothing but `content`, no finish and no usage. */
function textTemplate(data: string, chunk: Record<string, unknown>): TextTemplate | null {
  const choices = chunk.choices
  if (!Array.isArray(choices) || choices.length !== 1 || chunk.usage !== undefined || chunk.error !== undefined) return null
  const choice = choices[0] as Record<string, unknown>
  if (!isObject(choice) || choice.index !== 0 || (choice.finish_reason !== null && choice.finish_reason !== undefined)) return null
  const d = choice.delta
  if (!isObject(d) || typeof d.content !== 'string' || Object.keys(d).length !== 1) return null
  const literal = JSON.stringify(d.content)
  const at = data.lastIndexOf(literal)
  if (at < 0) return null // escaped differently from JSON.stringify: no fast path for this stream
  const t = { head: data.slice(0, at), tail: data.slice(at + literal.length) }
  // The string found is the delta's content (not an equal string elsewhere): a sentinel put there shows up there.
  const probe = parseJson(`${t.head}"\\u0000sy"${t.tail}`) as { choices?: Array<{ delta?: { content?: unknown } }> } | undefined
  return probe?.choices?.[0]?.delta?.content === '\u0000sy' ? t : null
}

// JSON forbids raw control characters in strings: a literal with one is left to JSON.parse to refuse.
// eslint-disable-next-line no-control-regex
const PLAIN_LITERAL = /^"[^"\\\u0000-\u001f]*"$/
// eslint-disable-next-line no-control-regex
const ESCAPED_LITERAL = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"$/

/** The content literal (quotes included) of a chunk shaped as `t` with one well-formed JSON string literal inside, else undefined. */
function literalIn(data: string, t: TextTemplate): string | undefined {
  const end = data.length - t.tail.length
  // Slices compared, not startsWith/endsWith: ~10× faster on the sliced strings the SSE parser makes.
  if (end < t.head.length + 2 || data.slice(0, t.head.length) !== t.head || data.slice(end) !== t.tail) return undefined
  const literal = data.slice(t.head.length, end)
  return PLAIN_LITERAL.test(literal) || ESCAPED_LITERAL.test(literal) ? literal : undefined
}

function fromCanonical(o: ReplyOptions = {}): StreamFromCanonical {
  let id = ''
  let model = o.model ?? ''
  let created = Math.floor((o.createdAt ?? 0) / 1000)
  let usage: ChatUsage = zeroUsage
  let done = false
  const tools = new Map<number, number>() // canonical block index → chat tool_calls[].index

  const wire = (choices: unknown[], usage?: OpenAIChatUsage): SseEvent => ({
    data: JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...(usage ? { usage } : {}) }),
  })
  const chunk = (delta: OpenAIChatDelta, finish: string | null = null) =>
    wire([{ index: 0, delta, logprobs: null, finish_reason: finish }])

  return {
    push(e: ChatEvent) {
      if (done) return []
      switch (e.type) {
        case 'message_start':
          id = e.id
          model = o.model ?? e.model
          if (e.created !== undefined) created = e.created
          return [chunk({ role: 'assistant', content: '' })]
        case 'block_start': {
          if (e.block.type !== 'tool_call') return []
          const index = tools.size
          tools.set(e.index, index)
          const name = flatToolName(e.block)
          return [chunk({ tool_calls: [{ index, id: e.block.id, type: 'function', function: { name, arguments: '' } }] })]
        }
        case 'text_delta':
          return [chunk({ content: e.text })]
        case 'thinking_delta':
          return [chunk({ reasoning_content: e.text })]
        case 'tool_delta': {
          const index = tools.get(e.index)
          return index === undefined ? [] : [chunk({ tool_calls: [{ index, function: { arguments: e.json } }] })]
        }
        case 'usage':
          usage = e.usage
          return []
        case 'message_stop': {
          done = true
          const out = [chunk({}, finishReasonFromCanonical(e.stopReason))]
          if (o.request?.streamUsage) {
            out.push(wire([], openAIUsageFromCanonical(usage)))
          }
          out.push({ data: '[DONE]' })
          return out
        }
        case 'error':
          done = true
          return [{ data: JSON.stringify(openAIError.fromCanonical(e.error).body) }]
        default:
          return []
      }
    },
    end: () => [],
  }
}

export const openAIStream = { toCanonical, fromCanonical }
