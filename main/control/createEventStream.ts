/**
 * The Control API's events over HTTP as server-sent events (`GET /admin/events`, behind the admin
 * API's Host, Origin and token checks). Each connection gets batches, not single events: events
 * are queued and written at most every `flushMs`, and `usage:recorded` keeps only the newest
 * `maxRowsPerFlush` rows of a batch (with a count of the dropped ones), so a 1000 req/s load costs a
 * page four small messages a second. Every batch passes the secret scrubber before it is written.
 */
import type { ServerResponse } from 'node:http'
import type { Events } from '../../preload/contract.ts'
import { scrub } from '../log.ts'
import type { ControlService } from './createControlService.ts'

export type EventStreamOptions = { flushMs?: number; maxRowsPerFlush?: number; heartbeatMs?: number }

/** One SSE message (`event: batch`): the events since the last one, in order. */
export type EventBatch = {
  events: Array<{ [E in keyof Events]: { event: E; payload: Events[E] } }[keyof Events]>
  /** Events left out of this batch to keep it small, by name (only `usage:recorded` is ever thinned). */
  dropped: Partial<Record<keyof Events, number>>
}

type Client = { res: ServerResponse; queue: EventBatch['events']; rows: number; dropped: number; timer: NodeJS.Timeout | null }

export function createEventStream(control: ControlService, opts: EventStreamOptions = {}) {
  const flushMs = opts.flushMs ?? 250
  const maxRows = opts.maxRowsPerFlush ?? 200
  const clients = new Set<Client>()

  function flush(c: Client): void {
    c.timer = null
    if (c.queue.length === 0) return
    const batch: EventBatch = { events: c.queue, dropped: c.dropped ? { 'usage:recorded': c.dropped } : {} }
    c.queue = []
    c.rows = 0
    c.dropped = 0
    c.res.write(`event: batch\ndata: ${scrub(JSON.stringify(batch))}\n\n`)
  }

  control.onAny((event, payload) => {
    for (const c of clients) {
      if (event === 'usage:recorded') {
        if (c.rows >= maxRows) {
          // Keep the newest rows: drop the oldest queued one.
          const i = c.queue.findIndex((e) => e.event === 'usage:recorded')
          c.queue.splice(i, 1)
          c.dropped++
        } else c.rows++
      }
      c.queue.push({ event, payload } as EventBatch['events'][number])
      c.timer ??= setTimeout(() => flush(c), flushMs)
    }
  })

  return {
    handle(res: ServerResponse): void {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      })
      res.write('retry: 2000\n: connected\n\n')
      const client: Client = { res, queue: [], rows: 0, dropped: 0, timer: null }
      const heartbeat = setInterval(() => res.write(': ping\n\n'), opts.heartbeatMs ?? 15_000)
      heartbeat.unref()
      clients.add(client)
      res.once('close', () => {
        clients.delete(client)
        clearInterval(heartbeat)
        if (client.timer) clearTimeout(client.timer)
      })
    },
    /** Ends every open stream (server shutdown: they would otherwise hold it open). */
    close(): void {
      for (const c of clients) {
        if (c.timer) clearTimeout(c.timer)
        c.res.end()
      }
      clients.clear()
    },
    clients: (): number => clients.size,
  }
}

export type EventStream = ReturnType<typeof createEventStream>
