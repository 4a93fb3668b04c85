/**
 * Gemini `streamGenerateContent?alt=sse` chunks ⇄ canonical ChatEvents, one translator per stream.
 * In: every chunk is a whole GenerateContentResponse holding only the new parts; thought text, answer
 * text and each function call (always complete in one part) open canonical blocks in the order they
 * come, closing the one before; `usageMetadata` is cumulative; `finishReason` closes the last block and
 * `message_stop` waits for the end of the stream, so usage sent after it is not lost. An `error` chunk
 * ends the stream. Out: one chunk per text or thought delta, a function call once its arguments are
 * complete, and the finish reason with the usage in the last chunk.
 * https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent and
 * https://ai.google.dev/gemini-api/docs/text-generation#streaming-responses
 */
import type { BlockStart, ChatEvent, ChatUsage, StopReason } from '../canonical.ts'
import { zeroUsage } from '../canonical.ts'
import { chatError, endedEarly } from '../chatError.ts'
import type { ReplyOptions, StreamFromCanonical, StreamToCanonical } from '../dialect.ts'
import { asArray, asString, isObject, parseJson } from '../json.ts'
import { flatToolName } from '../parts.ts'
import type { SseEvent } from '../sse.ts'
import { geminiError } from './error.ts'
import { fallbackToolCallId, geminiPartToCanonical, splitToolCallId } from './request.ts'
import { createdOf, finishReasonFromCanonical, finishReasonToCanonical, geminiUsageFromCanonical, geminiUsageToCanonical } from './response.ts'
import type { GeminiGenerateContentResponse, GeminiPart } from './types.ts'

function toCanonical(): StreamToCanonical {
  let started = false
  let done = false
  let open = -1
  let openKind: 'text' | 'thinking' | null = null
  let next = 0
  let calls = 0
  let finish: unknown
  let finished = false
  let blocked = false

  function close(out: ChatEvent[]): void {
    if (open < 0) return
    out.push({ type: 'block_stop', index: open })
    open = -1
    openKind = null
  }

  function start(out: ChatEvent[], block: BlockStart): number {
    close(out)
    open = next++
    out.push({ type: 'block_start', index: open, block })
    return open
  }

  function stopReason(): StopReason {
    return blocked ? 'content_filter' : finishReasonToCanonical(finish, calls > 0)
  }

  function part(p: Record<string, unknown>, responseId: string, out: ChatEvent[]): void {
    const c = geminiPartToCanonical(p, fallbackToolCallId(responseId, calls))
    if (c.type === 'text' || c.type === 'thinking') {
      if (!c.text) return
      if (openKind !== c.type) {
        start(out, { type: c.type })
        openKind = c.type
      }
      out.push(c.type === 'text' ? { type: 'text_delta', index: open, text: c.text } : { type: 'thinking_delta', index: open, text: c.text })
    } else if (c.type === 'tool_call') {
      calls++
      const index = start(out, { type: 'tool_call', id: c.id, name: c.name })
      out.push({ type: 'tool_delta', index, json: c.arguments })
      close(out)
    }
    // Images, code execution parts and other payloads have no place in a canonical stream.
  }

  return {
    push(e: SseEvent) {
      if (done) return []
      const chunk = parseJson(e.data)
      if (!isObject(chunk)) return []
      const out: ChatEvent[] = []
      if (chunk.error !== undefined) {
        done = true
        out.push({ type: 'error', error: geminiError.toCanonical(0, chunk) })
        return out
      }
      const responseId = asString(chunk.responseId) ?? ''
      const usage: ChatEvent | undefined = isObject(chunk.usageMetadata) ? { type: 'usage', usage: geminiUsageToCanonical(chunk.usageMetadata) } : undefined
      if (!started) {
        started = true
        const created = createdOf(chunk)
        const model = asString(chunk.modelVersion) ?? ''
        // Usage first, so that a caller-side message_start can carry the prompt tokens (Anthropic's does).
        if (usage) out.push(usage)
        out.push(created === undefined ? { type: 'message_start', id: responseId, model } : { type: 'message_start', id: responseId, model, created })
      } else if (usage) out.push(usage)
      const candidate = asArray(chunk.candidates).find(isObject)
      const content = candidate?.content
      for (const p of isObject(content) ? asArray(content.parts) : []) if (isObject(p)) part(p, responseId, out)
      if (candidate?.finishReason !== undefined) {
        close(out)
        finish = candidate.finishReason
        finished = true
      }
      if (!candidate && isObject(chunk.promptFeedback) && chunk.promptFeedback.blockReason !== undefined) {
        blocked = true
        finished = true
      }
      return out
    },
    end() {
      if (done) return []
      done = true
      if (!finished) return [{ type: 'error', error: chatError('api_error', endedEarly, 502) }]
      const out: ChatEvent[] = []
      close(out)
      out.push({ type: 'message_stop', stopReason: stopReason() })
      return out
    },
  }
}

function fromCanonical(o: ReplyOptions = {}): StreamFromCanonical {
  let id = ''
  let model = o.model ?? ''
  let createTime: string | undefined
  let usage: ChatUsage = zeroUsage
  let done = false
  const tools = new Map<number, { name: string; id: string; json: string }>()

  const chunk = (parts: GeminiPart[], extra: Partial<GeminiGenerateContentResponse> = {}): SseEvent => {
    const candidate = { content: { role: 'model', parts }, ...(extra.candidates?.[0] ?? {}), index: 0 }
    const { candidates: _candidates, ...rest } = extra
    return { data: JSON.stringify({ candidates: [candidate], ...rest, modelVersion: model, responseId: id, ...(createTime ? { createTime } : {}) }) }
  }

  return {
    push(e: ChatEvent) {
      if (done) return []
      switch (e.type) {
        case 'message_start':
          id = e.id
          model = o.model ?? e.model
          if (e.created !== undefined) createTime = new Date(e.created * 1000).toISOString()
          return []
        case 'block_start':
          if (e.block.type === 'tool_call') tools.set(e.index, { name: flatToolName(e.block), id: e.block.id, json: '' })
          return []
        case 'text_delta':
          return [chunk([{ text: e.text }])]
        case 'thinking_delta':
          return [chunk([{ text: e.text, thought: true }])]
        case 'tool_delta': {
          const t = tools.get(e.index)
          if (t) t.json += e.json
          return []
        }
        case 'block_stop': {
          const t = tools.get(e.index)
          if (!t) return []
          tools.delete(e.index)
          let args: unknown
          try {
            args = JSON.parse(t.json || '{}')
          } catch {
            args = {}
          }
          const { signature } = splitToolCallId(t.id)
          const call: GeminiPart = { functionCall: { name: t.name, args: isObject(args) ? args : {} } }
          return [chunk([signature ? { ...call, thoughtSignature: signature } : call])]
        }
        case 'usage':
          usage = e.usage
          return []
        case 'message_stop':
          done = true
          return [chunk([], { candidates: [{ finishReason: finishReasonFromCanonical(e.stopReason) }], usageMetadata: geminiUsageFromCanonical(usage) })]
        case 'error':
          done = true
          return [{ data: JSON.stringify(geminiError.fromCanonical(e.error).body) }]
        default:
          return []
      }
    },
    end: () => [],
  }
}

export const geminiStream = { toCanonical, fromCanonical }
