/**
 * What one Responses WebSocket connection remembers so `previous_response_id` works as on OpenAI's
 * WebSocket mode: each finished response's whole input and its output items, kept on the connection
 * only (never stored), bounded in count and size, dropped when the socket closes. A request naming a
 * previous response is expanded into the whole conversation before it enters the pipeline, so it
 * works against any upstream, translated or not, that has never seen that response.
 */
import { GatewayError } from './GatewayError.ts'

/** OpenAI's WebSocket mode names this case `previous_response_not_found`; the client may resend the whole input. */
export class PreviousResponseNotFound extends GatewayError {
  readonly wireCode = 'previous_response_not_found'
  constructor(message: string) {
    super('invalid_request', message, { param: 'previous_response_id' })
  }
}

export type SocketHistoryLimits = { maxResponses: number; maxBytes: number }

type Entry = { items: unknown[]; bytes: number }

export type SocketHistory = {
  /** The request body with `previous_response_id` replaced by the full input it stands for. */
  expand(body: Record<string, unknown>): Record<string, unknown>
  /** A finished response: its full input (already expanded) followed by its output items. */
  remember(responseId: string, input: unknown[], output: unknown[]): void
  clear(): void
  readonly size: number
}

export function createSocketHistory(limits: SocketHistoryLimits): SocketHistory {
  const entries = new Map<string, Entry>() // insertion order: oldest first
  let bytes = 0

  function evict(): void {
    for (const [id, e] of entries) {
      if (entries.size <= limits.maxResponses && bytes <= limits.maxBytes) return
      entries.delete(id)
      bytes -= e.bytes
    }
  }

  return {
    expand(body) {
      const prev = body.previous_response_id
      const { previous_response_id: _dropped, ...rest } = body
      if (prev === undefined || prev === null) return rest
      if (typeof prev !== 'string') throw new GatewayError('invalid_request', 'previous_response_id must be a string', { param: 'previous_response_id' })
      const entry = entries.get(prev)
      if (!entry) {
        throw new PreviousResponseNotFound(
          `Previous response with id '${prev}' not found on this connection: responses are remembered only on the WebSocket that produced them, and only the last ${limits.maxResponses}.`,
        )
      }
      return { ...rest, input: [...entry.items, ...withoutEcho(entry.items, inputItems(body.input))] }
    },
    remember(responseId, input, output) {
      const items = [...input, ...output]
      const size = Buffer.byteLength(JSON.stringify(items))
      const old = entries.get(responseId)
      if (old) {
        entries.delete(responseId)
        bytes -= old.bytes
      }
      if (size > limits.maxBytes) return // too large to keep: a later reference is refused, not truncated
      entries.set(responseId, { items, bytes: size })
      bytes += size
      evict()
    },
    clear() {
      entries.clear()
      bytes = 0
    },
    get size() {
      return entries.size
    },
  }
}

/** A Responses `input`: a string is one user message. */
export function inputItems(input: unknown): unknown[] {
  if (input === undefined || input === null) return []
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }]
  return Array.isArray(input) ? input : [input]
}

/**
 * Some clients send, after `previous_response_id`, items the server already has (the previous output
 * echoed back). Those leading items are dropped so the conversation has each item once.
 */
function withoutEcho(known: unknown[], added: unknown[]): unknown[] {
  const seen = new Set(known.map(identity).filter((k): k is string => k !== null))
  let skip = 0
  while (skip < added.length && seen.has(identity(added[skip]) ?? '\0')) skip++
  return skip ? added.slice(skip) : added
}

/** An item's identity: its id, else its call id and type; null when it has neither (a plain message). */
function identity(item: unknown): string | null {
  if (!item || typeof item !== 'object') return null
  const o = item as { id?: unknown; call_id?: unknown; type?: unknown }
  if (typeof o.id === 'string' && o.id) return `id:${o.id}`
  if (typeof o.call_id === 'string' && o.call_id) return `call:${String(o.type)}:${o.call_id}`
  return null
}
