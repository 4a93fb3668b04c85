/**
 * Watches an OpenAI-style SSE stream on its way to the client and collects usage.
 * Passthrough (`hideUsage: false`): bytes go out exactly as they came; the tap only reads.
 * `hideUsage: true` is for streams where the gateway asked for usage on the client's behalf
 * (`stream_options.include_usage`): the usage-only chunk is taken out and `"usage": null` fields are
 * removed, event by event on parsed JSON, so the client sees what it would have seen without the gateway.
 */
import { StringDecoder } from 'node:string_decoder'
import type { Usage } from '../Usage.ts'
import { usageFromOpenAI } from './usage.ts'

export type StreamTap = {
  /** Returns what to send to the client for this chunk (may be empty). */
  push(chunk: Buffer): Buffer | string
  /** Returns whatever is still held back at the end of the stream. */
  end(): string
  usage(): Usage | null
  /** An upstream `data: {"error": …}` event seen in the stream (message only). */
  error(): string | null
}

type Parsed = { choices?: unknown[]; usage?: unknown; error?: { message?: string } }

export function createOpenAIStreamTap(opts: { hideUsage: boolean }): StreamTap {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  let usage: Usage | null = null
  let error: string | null = null

  function readEvent(event: string): Parsed | null {
    const start = event.indexOf('data:')
    if (start < 0) return null
    const data = event.slice(start + 5).trim()
    if (data === '[DONE]' || data[0] !== '{') return null
    try {
      return JSON.parse(data) as Parsed
    } catch {
      return null
    }
  }

  function scan(events: string): void {
    if (!events.includes('"usage"') && !events.includes('"error"')) return
    for (const event of events.split('\n\n')) {
      if (!event.includes('"usage"') && !event.includes('"error"')) continue
      const parsed = readEvent(event)
      if (!parsed) continue
      const u = usageFromOpenAI(parsed.usage)
      if (u) usage = u
      if (parsed.error && typeof parsed.error.message === 'string') error = parsed.error.message
    }
  }

  /** Rewrites complete events for `hideUsage`; keeps event boundaries exactly. */
  function rewrite(events: string): string {
    const out: string[] = []
    for (const event of events.split('\n\n')) {
      if (!event.includes('"usage"')) {
        out.push(event)
        continue
      }
      const parsed = readEvent(event)
      if (!parsed) {
        out.push(event)
        continue
      }
      const u = usageFromOpenAI(parsed.usage)
      if (u) usage = u
      if (Array.isArray(parsed.choices) && parsed.choices.length === 0 && u) continue // the usage-only chunk
      delete parsed.usage
      out.push(`data: ${JSON.stringify(parsed)}`)
    }
    return out.length ? out.join('\n\n') + '\n\n' : ''
  }

  return {
    push(chunk) {
      let text = decoder.write(chunk)
      if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n')
      text = pending + text
      const cut = text.lastIndexOf('\n\n')
      if (cut < 0) {
        pending = text
        return opts.hideUsage ? '' : chunk
      }
      const complete = text.slice(0, cut)
      pending = text.slice(cut + 2)
      if (opts.hideUsage) return rewrite(complete)
      scan(complete)
      return chunk
    },
    end() {
      const rest = pending + decoder.end()
      pending = ''
      if (!rest.trim()) return ''
      if (opts.hideUsage) return rewrite(rest)
      scan(rest)
      return ''
    },
    usage: () => usage,
    error: () => error,
  }
}
