/**
 * Exact-match response cache in SQLite (table `response_cache`, migration 6). The key is the sha256 of
 * the target and the canonical request serialised with sorted keys, so field order never matters.
 * Reads are one prepared statement; an entry older than the caller's `max_age` is a miss but stays
 * (another config may allow it a longer age) until `prune` or eviction. Writes happen only after a
 * successful miss and are synchronous: upsert, then oldest-first eviction down to the row and byte
 * bounds, in one transaction. The database must be migrated before this is created.
 */
import { createHash } from 'node:crypto'
import type { Db } from '../store/openDb.ts'
import { stableStringify } from './stableStringify.ts'

export type CachedResponse = {
  status: number
  headers: Record<string, string>
  /** The body as sent to the client (raw SSE bytes when `stream`). */
  body: Buffer
  stream: boolean
  inputTokens: number | null
  outputTokens: number | null
  /** What the original call cost, micro-USD: what each hit saves. */
  costMicros: number | null
  /** Epoch ms when stored. */
  createdAt: number
}

export type ResponseCacheOptions = {
  now: () => number
  /** Most rows kept (default 10 000). */
  maxEntries?: number
  /** Most bytes kept, bodies and headers (default 256 MiB); a larger single response is not stored. */
  maxBytes?: number
}

export type ResponseCache = {
  key(parts: { target: string; canonical: unknown }): string
  /** The entry, or null when absent or older than `maxAgeSeconds` (null: any age). */
  get(key: string, maxAgeSeconds: number | null): CachedResponse | null
  /** Stores `value` (`createdAt` defaults to now); false when it is too large to keep. */
  put(key: string, value: Omit<CachedResponse, 'createdAt'> & { createdAt?: number }): boolean
  /** Deletes entries older than `olderThanMs` (by age); returns how many. */
  prune(olderThanMs: number): number
}

type Row = {
  status: number
  headers: string
  body: Buffer
  stream: number
  input_tokens: number | null
  output_tokens: number | null
  cost_micros: number | null
  created_at: number
}

/** Bumped if the key's inputs or serialisation ever change, so old rows simply stop matching. */
const KEY_VERSION = 'switchyard-cache-v1'

export function createResponseCache(db: Db, opts: ResponseCacheOptions): ResponseCache {
  const maxEntries = Math.max(1, opts.maxEntries ?? 10_000)
  const maxBytes = Math.max(1, opts.maxBytes ?? 256 * 1024 * 1024)

  const selectOne = db.prepare<[string], Row>(
    'SELECT status, headers, body, stream, input_tokens, output_tokens, cost_micros, created_at FROM response_cache WHERE key = ?',
  )
  const upsert = db.prepare(
    `INSERT INTO response_cache (key, status, headers, body, stream, input_tokens, output_tokens, cost_micros, bytes, created_at)
     VALUES (@key, @status, @headers, @body, @stream, @inputTokens, @outputTokens, @costMicros, @bytes, @createdAt)
     ON CONFLICT (key) DO UPDATE SET status = excluded.status, headers = excluded.headers, body = excluded.body,
       stream = excluded.stream, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
       cost_micros = excluded.cost_micros, bytes = excluded.bytes, created_at = excluded.created_at`,
  )
  const totals = db.prepare<[], { n: number; bytes: number }>('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS bytes FROM response_cache')
  const oldest = db.prepare<[string], { rowid: number; bytes: number }>(
    'SELECT rowid, bytes FROM response_cache WHERE key <> ? ORDER BY created_at, rowid',
  )
  const deleteRow = db.prepare<[number]>('DELETE FROM response_cache WHERE rowid = ?')
  const deleteOlder = db.prepare<[number]>('DELETE FROM response_cache WHERE created_at < ?')

  const store = db.transaction((key: string, row: Record<string, unknown>) => {
    upsert.run(row)
    const t = totals.get()
    if (!t) return
    let n = t.n
    let bytes = t.bytes
    if (n <= maxEntries && bytes <= maxBytes) return
    const victims: number[] = []
    for (const r of oldest.iterate(key)) {
      if (n <= maxEntries && bytes <= maxBytes) break
      victims.push(r.rowid)
      n--
      bytes -= r.bytes
    }
    for (const id of victims) deleteRow.run(id)
  })

  return {
    key(parts) {
      const text = `${KEY_VERSION}\n${stableStringify({ target: parts.target, canonical: parts.canonical })}`
      return createHash('sha256').update(text).digest('hex')
    },

    get(key, maxAgeSeconds) {
      const row = selectOne.get(key)
      if (!row) return null
      if (maxAgeSeconds !== null && opts.now() - row.created_at > maxAgeSeconds * 1000) return null
      let headers: Record<string, string>
      try {
        headers = JSON.parse(row.headers) as Record<string, string>
      } catch {
        return null
      }
      return {
        status: row.status,
        headers,
        body: row.body,
        stream: row.stream === 1,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        costMicros: row.cost_micros,
        createdAt: row.created_at,
      }
    },

    put(key, value) {
      const headers = JSON.stringify(value.headers)
      const bytes = value.body.byteLength + Buffer.byteLength(headers) + key.length
      if (bytes > maxBytes) return false
      store(key, {
        key,
        status: value.status,
        headers,
        body: value.body,
        stream: value.stream ? 1 : 0,
        inputTokens: value.inputTokens,
        outputTokens: value.outputTokens,
        costMicros: value.costMicros,
        bytes,
        createdAt: value.createdAt ?? opts.now(),
      })
      return true
    },

    prune(olderThanMs) {
      return deleteOlder.run(opts.now() - olderThanMs).changes
    },
  }
}
