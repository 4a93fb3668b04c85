// Writes Anthropic Messages stream events as SSE (`event: <type>` + `data: <json>`), as the Anthropic
// API and Vertex's streamRawPredict send them, including the scripted mid-stream failures.
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { cutIndex } from './anthropicMessages.ts'
import type { AnthropicBehaviour } from './anthropicMessages.ts'
import type { JsonObject } from './openaiResponses.ts'
import { openSse } from './sse.ts'

const write = (res: ServerResponse, event: JsonObject): Promise<void> =>
  new Promise((resolve) => res.write(`event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`, () => resolve()))

/**
 * `stream-drop` destroys the socket after the first content delta; `stream-error` sends an
 * `overloaded_error` event there and ends the stream (docs: "Error events").
 */
export async function sendAnthropicStream(res: ServerResponse, events: JsonObject[], flags: Set<AnthropicBehaviour>, headers: Record<string, string>): Promise<void> {
  openSse(res, headers)
  const cut = cutIndex(events)
  for (const [i, event] of events.entries()) {
    if (res.destroyed) return
    if (i === cut && flags.has('stream-drop')) {
      await sleep(20)
      res.destroy()
      return
    }
    if (i === cut && flags.has('stream-error')) {
      await write(res, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
      res.end()
      return
    }
    await write(res, event)
  }
  res.end()
}
