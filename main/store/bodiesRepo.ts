/**
 * Captured request and response bodies (Settings → body capture). Rows are queued by the gateway and
 * written in a batch every 250 ms, off the response path; the work of cleaning a body (scrubber and
 * secret detectors) is deferred to the same moment, so it is queued as a function. The table is
 * bounded in total size: past `maxTotalBytes` the oldest bodies go first. Log retention deletes them
 * with the usage rows (settings/appSettings.ts).
 */
import type { UsageBodies } from '../../preload/contract.ts'
import { log } from '../log.ts'
import type { Db } from './openDb.ts'

/** One call's bodies, ready to store: text already scrubbed and redacted. */
export type NewBodies = {
  traceId: string
  createdAt: number
  request: string | null
  response: string | null
  requestTruncated: boolean
  responseTruncated: boolean
}

export type BodiesRepo = {
  /** Queues a body to be made (cleaned) and written later; `make` returning null writes nothing. */
  enqueue(make: () => NewBodies | null): void
  flush(): void
  /** The bodies captured for usage row `id`; `{ captured: false }` when none were. */
  forUsage(id: number): UsageBodies
  /** Bytes stored now (request + response text). */
  totalBytes(): number
}

export const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024

export function bodiesRepo(db: Db, opts: { maxTotalBytes?: number; delayMs?: number } = {}): BodiesRepo {
  const maxTotal = opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES
  const delayMs = opts.delayMs ?? 250
  const insert = db.prepare<[string, number, string | null, string | null, number, number, number]>(
    'INSERT INTO usage_bodies (trace_id, created_at, request, response, request_truncated, response_truncated, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const sum = db.prepare<[], { n: number }>('SELECT coalesce(sum(bytes), 0) AS n FROM usage_bodies')
  // The newest row that no longer fits when the newest bodies are kept first.
  const lastToDrop = db.prepare<[number], { id: number }>(
    'SELECT id FROM (SELECT id, sum(bytes) OVER (ORDER BY id DESC) AS kept FROM usage_bodies) WHERE kept > ? ORDER BY id DESC LIMIT 1',
  )
  const dropUpTo = db.prepare<[number]>('DELETE FROM usage_bodies WHERE id <= ?')
  const byUsage = db.prepare<[number], { request: string | null; response: string | null; request_truncated: number; response_truncated: number }>(
    `SELECT b.request, b.response, b.request_truncated, b.response_truncated FROM usage u
       JOIN usage_bodies b ON b.trace_id = u.trace_id AND b.created_at = u.created_at
     WHERE u.id = ? ORDER BY b.id DESC LIMIT 1`,
  )
  let queue: Array<() => NewBodies | null> = []
  let timer: NodeJS.Timeout | null = null

  const write = db.transaction((rows: NewBodies[]) => {
    for (const r of rows) {
      const bytes = Buffer.byteLength(r.request ?? '') + Buffer.byteLength(r.response ?? '')
      insert.run(r.traceId, r.createdAt, r.request, r.response, r.requestTruncated ? 1 : 0, r.responseTruncated ? 1 : 0, bytes)
    }
    if (sum.get()!.n > maxTotal) {
      const edge = lastToDrop.get(maxTotal)
      if (edge) dropUpTo.run(edge.id)
    }
  })

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = null
    const batch = queue
    queue = []
    const rows: NewBodies[] = []
    for (const make of batch) {
      try {
        const r = make()
        if (r) rows.push(r)
      } catch (err) {
        log.error('body capture failed', { error: err })
      }
    }
    if (rows.length === 0) return
    try {
      write(rows)
    } catch (err) {
      // Bodies are a debugging aid: a busy database drops them rather than holding memory.
      log.error('captured bodies could not be written', { error: err, rows: rows.length })
    }
  }

  return {
    enqueue(make) {
      queue.push(make)
      if (!timer) {
        timer = setTimeout(flush, delayMs)
        timer.unref()
      }
    },
    flush,
    forUsage(id) {
      flush()
      const r = byUsage.get(id)
      if (!r) return { captured: false }
      return { captured: true, request: r.request, response: r.response, requestTruncated: r.request_truncated === 1, responseTruncated: r.response_truncated === 1 }
    },
    totalBytes: () => sum.get()!.n,
  }
}
