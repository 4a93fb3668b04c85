/**
 * The pipeline writes to an HTTP response; on a WebSocket there is none. This is the small part of a
 * ServerResponse the pipeline uses (writeHead, flushHeaders, write, end, close), turning what is
 * written into WebSocket messages as OpenAI's WebSocket mode frames them: every SSE event's `data`
 * JSON becomes one text message (the same events as the HTTP stream), and an error status with an
 * OpenAI error body becomes `{"type":"error","status":…,"error":{…}}`, the shape Codex reads as an
 * HTTP error (401 → re-auth, 429 → rate limit).
 */
import type { ServerResponse } from 'node:http'
import { Writable } from 'node:stream'
import { sse } from '../dialects/sse.ts'

export type SocketEvent = Record<string, unknown> & { type?: unknown }

class SocketResponse extends Writable {
  statusCode = 200
  headersSent = false
  private contentType = ''
  private readonly parser = sse.parser()
  private readonly whole: Buffer[] = []

  private readonly send: (event: SocketEvent) => void

  constructor(send: (event: SocketEvent) => void) {
    super({ decodeStrings: true })
    this.send = send
  }

  writeHead(status: number, headers?: Record<string, string | string[] | number>): this {
    this.statusCode = status
    this.headersSent = true
    for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === 'content-type') this.contentType = String(v)
    return this
  }

  flushHeaders(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.contentType.includes('text/event-stream')) this.relay(this.parser.push(chunk))
    else this.whole.push(chunk)
    done()
  }

  override _final(done: (err?: Error | null) => void): void {
    if (this.contentType.includes('text/event-stream')) this.relay(this.parser.end())
    else if (this.whole.length) this.relayBody(Buffer.concat(this.whole).toString('utf8'))
    done()
  }

  private relay(events: Array<{ data: string }>): void {
    for (const { data } of events) {
      if (data === '[DONE]') continue
      const event = parseObject(data)
      if (event) this.send(event)
    }
  }

  /** A whole JSON answer: an error, or (an upstream that would not stream) the finished response. */
  private relayBody(text: string): void {
    const body = parseObject(text) ?? { error: { message: text.slice(0, 500), type: 'upstream_error' } }
    if (this.statusCode >= 400) this.send({ type: 'error', status: this.statusCode, error: body.error ?? body })
    else this.send({ type: 'response.completed', response: body })
  }
}

function parseObject(text: string): SocketEvent | null {
  try {
    const v: unknown = JSON.parse(text)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as SocketEvent) : null
  } catch {
    return null
  }
}

/** A response writer for one `response.create`; `send` gets each event as it is written. */
export function socketResponse(send: (event: SocketEvent) => void): ServerResponse & Writable {
  return new SocketResponse(send) as unknown as ServerResponse & Writable
}
