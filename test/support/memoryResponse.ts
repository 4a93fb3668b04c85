/**
 * An in-memory `GatewayResponse`: what the pipeline wrote (status, headers, body chunks), so routing,
 * governance and translation paths run in-process without a socket. `close()` plays a client leaving.
 */
import { EventEmitter } from 'node:events'
import type { GatewayResponse } from '../../main/gateway/types.ts'

export class MemoryResponse implements GatewayResponse {
  status = 0
  headers: Record<string, string | string[] | number> = {}
  readonly chunks: Buffer[] = []
  headersSent = false
  writableEnded = false
  writableFinished = false
  destroyed = false
  private readonly events = new EventEmitter()
  private readonly ended: Promise<void>
  private resolveEnded!: () => void

  constructor() {
    this.ended = new Promise((r) => (this.resolveEnded = r))
  }

  writeHead(status: number, headers: Record<string, string | string[] | number> = {}): this {
    if (this.headersSent) throw new Error('headers already sent')
    this.status = status
    this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    this.headersSent = true
    return this
  }

  flushHeaders(): void {}

  write(chunk: string | Uint8Array): boolean {
    if (this.writableEnded) throw new Error('write after end')
    this.chunks.push(Buffer.from(chunk))
    return true
  }

  end(chunk?: string | Uint8Array): this {
    if (chunk !== undefined) this.write(chunk)
    this.writableEnded = this.writableFinished = true
    this.resolveEnded()
    this.events.emit('close')
    return this
  }

  on(event: 'close', listener: () => void): this {
    this.events.on(event, listener)
    return this
  }

  /** The client goes away before the end. */
  close(): void {
    this.destroyed = true
    this.events.emit('close')
    this.resolveEnded()
  }

  /** Resolves once the answer is complete (or the client left). */
  done(): Promise<void> {
    return this.ended
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}
