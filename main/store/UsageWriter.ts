/**
 * Writes usage rows. Default (`commit`): each row in its own small transaction as it is recorded,
 * which the pipeline does before the answer's last byte goes out, so `kill -9` at any moment loses
 * no answered call (WAL with synchronous=NORMAL: a committed transaction survives a process crash,
 * and no fsync is paid per commit). Limit counters are rebuilt from these rows at start, so a
 * budget can be overshot across a crash by at most the calls in flight. `batch` (the former
 * design, kept for the bench: bench/crashSafety.ts) queues rows and writes them every 100 ms.
 * A row that cannot be written (a busy database) is queued and retried; `flush()` (on shutdown)
 * writes everything still queued.
 */
import type { UsageRow } from '../../preload/contract.ts'
import { log } from '../log.ts'
import type { Db } from './openDb.ts'

export type NewUsage = Omit<UsageRow, 'id'>

export type UsageWriter = {
  enqueue(row: NewUsage): void
  flush(): void
  pending(): number
  /** Called after each batch is committed, with the rows as stored. */
  onWritten(fn: (rows: UsageRow[]) => void): void
}

export type UsageWrites = 'commit' | 'batch'

export function createUsageWriter(db: Db, opts: { delayMs?: number; maxBatch?: number; mode?: UsageWrites } = {}): UsageWriter {
  const mode = opts.mode ?? 'commit'
  // A batch every 100 ms: at one request at a time that is still hundreds of rows per transaction.
  const delayMs = opts.delayMs ?? 100
  const maxBatch = opts.maxBatch ?? 2000
  // Positional parameters: binding by name costs measurably more on every row.
  const insert = db.prepare(
    `INSERT INTO usage (created_at, workspace_id, api_key_id, provider_slug, model, endpoint, status, stream,
       latency_ms, ttfb_ms, input_tokens, output_tokens, cached_tokens, cost_micros, metadata, trace_id, error,
       cache_write_tokens, reasoning_tokens, integration_id, provider_id, admitted, guardrails, usage_source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const touchKey = db.prepare<[number, string]>(
    'UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?',
  )
  let queue: NewUsage[] = []
  let timer: NodeJS.Timeout | null = null
  const listeners: Array<(rows: UsageRow[]) => void> = []

  const write = db.transaction((rows: NewUsage[]) => {
    const stored: UsageRow[] = []
    const lastUse = new Map<string, number>()
    for (const r of rows) {
      const info = insert.run(
        r.createdAt, r.workspaceId, r.apiKeyId, r.providerSlug, r.model, r.endpoint, r.status, r.stream ? 1 : 0,
        r.latencyMs, r.ttfbMs, r.inputTokens, r.outputTokens, r.cachedTokens, r.costMicros,
        r.metadata === null ? null : JSON.stringify(r.metadata), r.traceId, r.error,
        r.cacheWriteTokens ?? null, r.reasoningTokens ?? null, r.integrationId ?? null, r.providerId ?? null, r.admitted ? 1 : 0,
        r.guardrails?.length ? JSON.stringify(r.guardrails) : null, r.usageSource ?? null,
      )
      if (listeners.length) stored.push({ ...r, id: Number(info.lastInsertRowid) })
      if (r.apiKeyId) lastUse.set(r.apiKeyId, Math.max(lastUse.get(r.apiKeyId) ?? 0, r.createdAt))
    }
    for (const [id, at] of lastUse) touchKey.run(at, id)
    return stored
  })

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = null
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch)
      try {
        const stored = write(batch)
        queue = queue.slice(batch.length)
        if (listeners.length) for (const fn of listeners) fn(stored)
      } catch (err) {
        // Keep the rows and retry later: a busy database must not lose usage.
        log.error('usage write failed; will retry', { error: err, queued: queue.length })
        schedule(1000)
        return
      }
    }
  }

  function schedule(ms: number): void {
    if (timer) return
    timer = setTimeout(flush, ms)
    timer.unref()
  }

  return {
    enqueue(row) {
      queue.push(row)
      if (mode === 'commit' && queue.length === 1) flush()
      else if (queue.length >= maxBatch) setImmediate(flush)
      else schedule(delayMs)
    },
    flush,
    pending: () => queue.length,
    onWritten: (fn) => void listeners.push(fn),
  }
}
