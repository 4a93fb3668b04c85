/**
 * Server-sent events: an incremental parser (bytes split anywhere → events) and a writer.
 * Follows the WHATWG event-stream rules that matter for model APIs: LF, CRLF and CR line ends, multi-line
 * `data`, comments, `event` names (`id` and `retry` are ignored). An event without `data` is not
 * dispatched; a last event missing its blank line is, at `end()`. Pure and cheap: it runs on every chunk.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

import { isAscii } from 'node:buffer'

export type SseEvent = {
  event?: string
  data: string
  /** The whole event as SSE text, when its writer built it so (`data` on one line): `write` copies it as is. */
  wire?: string
}

export type SseParser = {
  push(chunk: Uint8Array | string): SseEvent[]
  /**
   * As push, for a reader with a fast lane: at each event boundary `lane(text, at)` may read one whole
   * event itself and return where it ends (-1: it did not); every other event goes to `event`, all in
   * stream order.
   */
  pushLane(chunk: Uint8Array, lane: (text: string, at: number) => number, event: (e: SseEvent) => void): void
  end(): SseEvent[]
}

function parser(): SseParser {
  const decoder = new TextDecoder()
  /** The decoder may hold the first bytes of a character split across chunks. */
  let split = false
  let pending = ''
  let afterCR = false
  let event: string | undefined
  let data: string | undefined
  /** pushLane's reader of whole events: dispatched events go to it instead of `out`. */
  let sink: ((e: SseEvent) => void) | null = null

  function dispatch(out: SseEvent[]): void {
    if (data !== undefined) {
      const e = event === undefined ? { data } : { event, data }
      if (sink === null) out.push(e)
      else sink(e)
    }
    data = undefined
    event = undefined
  }

  /** The field value starting at `from`, without the one optional leading space. */
  function value(s: string, from: number, end: number): string {
    return s.slice(from < end && s.charCodeAt(from) === 32 ? from + 1 : from, end)
  }

  /** One line; only `data` and `event` matter (a field name cannot contain `\n`, so prefixes are safe). */
  function line(s: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) return dispatch(out)
    if (s.startsWith('data', start)) {
      if (start + 4 === end) data = data === undefined ? '' : data + '\n'
      else if (s.charCodeAt(start + 4) === 58) {
        const v = value(s, start + 5, end)
        data = data === undefined ? v : data + '\n' + v
      }
    } else if (s.startsWith('event', start)) {
      if (start + 5 === end) event = ''
      else if (s.charCodeAt(start + 5) === 58) event = value(s, start + 6, end)
    }
  }

  function feed(text: string, out: SseEvent[], lane: ((text: string, at: number) => number) | null = null): void {
    if (!text) return
    if (afterCR && text.charCodeAt(0) === 10) text = text.slice(1)
    afterCR = text.charCodeAt(text.length - 1) === 13
    if (!text) return
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n')
    const s = pending ? pending + text : text
    let start = 0
    let nl: number
    for (;;) {
      // A boundary: no field of an event read yet (a line that was only a comment or an id leaves none).
      if (lane !== null && data === undefined && event === undefined) {
        const end = lane(s, start)
        if (end >= 0) {
          start = end
          continue
        }
      }
      if ((nl = s.indexOf('\n', start)) === -1) break
      line(s, start, nl, out)
      start = nl + 1
    }
    pending = start < s.length ? s.slice(start) : ''
  }

  /**
   * Model streams are nearly all ASCII: such a chunk, with nothing held from the one before, is read
   * as Latin-1 (a copy) instead of through the UTF-8 decoder (~5x slower on 14 KB). A chunk that ends
   * in an ASCII byte leaves nothing held; otherwise the decoder is used until one does.
   */
  function decode(chunk: Uint8Array): string {
    if (!split && isAscii(chunk)) return (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)).toString('latin1')
    const text = decoder.decode(chunk, { stream: true })
    split = chunk.length > 0 && (chunk[chunk.length - 1] as number) >= 0x80
    return text
  }

  return {
    push(chunk) {
      const out: SseEvent[] = []
      feed(typeof chunk === 'string' ? chunk : decode(chunk), out)
      return out
    },
    pushLane(chunk, lane, event) {
      sink = event
      try {
        feed(decode(chunk), [], lane)
      } finally {
        sink = null
      }
    },
    end() {
      const out: SseEvent[] = []
      feed(decoder.decode(), out)
      if (pending) line(pending, 0, pending.length, out)
      pending = ''
      dispatch(out)
      return out
    },
  }
}

/** Serializes events; `data` containing newlines becomes several `data:` lines. */
function write(events: readonly SseEvent[]): string {
  let s = ''
  for (const e of events) {
    if (e.wire !== undefined) {
      s += e.wire
      continue
    }
    if (e.event !== undefined) s += 'event: ' + e.event + '\n'
    s += (e.data.includes('\n') ? 'data: ' + e.data.split('\n').join('\ndata: ') : 'data: ' + e.data) + '\n\n'
  }
  return s
}

export const sse = { parser, write }
