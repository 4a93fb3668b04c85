/**
 * Writes usage rows so that `kill -9` at any moment loses no answered call. The pipeline records a
 * row, then holds the answer's last byte until `afterJournal` says the row is kept; in the default
 * design (`file`) the row is appended, as one JSON line with a sequence number (store/journalLine.ts), to
 * a journal file next to the database (the kernel keeps it when the process is killed; no fsync, like WAL at
 * synchronous=NORMAL). The rows of one event-loop turn share one write() (group commit: at 16
 * concurrent requests a turn ends several), made when the turn's I/O callbacks are done; then written
 * to `usage` with its indexes in a batch every 100 ms, in a transaction that also records the last
 * sequence number moved (usage_journal row 0); the file is emptied after. A start after a crash moves
 * the lines after that mark into `usage` before anything reads it, so a crash between a commit and the
 * truncation repeats no row (limit counters are rebuilt from `usage`, so a budget can be overshot
 * across a crash by at most the calls in flight). Measured against the alternatives in
 * bench/crashSafety.ts: `journal` (each row committed to the index-free usage_journal table: ~5× the
 * file's added cost, a SQLite commit per call), `commit` (each row in its own transaction straight
 * into `usage` and its indexes) and `batch` (no journal: rows lost if the process dies within 100 ms).
 * A row that cannot be written (a busy database) stays queued and is retried; `flush()` (on shutdown)
 * writes everything still queued.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import type { UsageRow } from '../../preload/contract.ts'
import { log } from '../log.ts'
import { journalLine, readJournalLine } from './journalLine.ts'
import type { Db } from './openDb.ts'
import { usageDerived } from './usageDerived.ts'

export type NewUsage = Omit<UsageRow, 'id'>

export type UsageWriter = {
  enqueue(row: NewUsage): void
  /**
   * Runs `then` once every row enqueued so far is crash-safe (in the journal file; at once in the other
   * designs): the pipeline writes an answer's last byte from here.
   */
  afterJournal(then: () => void): void
  flush(): void
  /** Flushes and releases the journal file. */
  close(): void
  pending(): number
  /** Called after each batch is committed, with the rows as stored. */
  onWritten(fn: (rows: UsageRow[]) => void): void
}

export type UsageWrites = 'file' | 'journal' | 'commit' | 'batch'

/** The append-only journal file of a database file (next to it, like SQLite's own -wal). */
export const journalFileOf = (dbFile: string) => `${dbFile}-usage-journal`

export function createUsageWriter(db: Db, opts: { delayMs?: number; maxBatch?: number; mode?: UsageWrites } = {}): UsageWriter {
  // An in-memory database (tests) has no file to put a journal next to.
  const mode = (opts.mode ?? 'file') === 'file' && db.memory ? 'journal' : (opts.mode ?? 'file')
  // A batch every 100 ms: at one request at a time that is still hundreds of rows per transaction.
  const delayMs = opts.delayMs ?? 100
  const maxBatch = opts.maxBatch ?? 2000
  // Positional parameters: binding by name costs measurably more on every row.
  const insert = db.prepare(
    `INSERT INTO usage (created_at, workspace_id, api_key_id, provider_slug, model, endpoint, status, stream,
       latency_ms, ttfb_ms, input_tokens, output_tokens, cached_tokens, cost_micros, metadata, trace_id, error,
       cache_write_tokens, reasoning_tokens, integration_id, provider_id, admitted, guardrails, usage_source, attempts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const derive = usageDerived(db)
  const touchKey = db.prepare<[number, string]>(
    'UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?',
  )
  const journalAdd = db.prepare<[string]>('INSERT INTO usage_journal (row) VALUES (?)')
  const journalClear = db.prepare<[number]>('DELETE FROM usage_journal WHERE id BETWEEN 1 AND ?')
  // In `file` mode the journal table keeps one row, id 0: the sequence number of the last file line
  // moved into `usage`, committed in the same transaction as those rows, so a recovery never repeats one.
  const markRead = db.prepare<[], { row: string }>('SELECT row FROM usage_journal WHERE id = 0')
  const markSet = db.prepare<[string]>('INSERT INTO usage_journal (id, row) VALUES (0, ?) ON CONFLICT (id) DO UPDATE SET row = excluded.row')
  let queue: NewUsage[] = []
  /** For each queued row, its journal id (0: not journaled); ids only grow, so a batch clears up to its last. */
  let journaled: number[] = []
  /** `file` mode: the journal file (O_APPEND) and the sequence number of the last line written to it. */
  let fd = -1
  let seq = 0
  /** Journal lines of this event-loop turn not yet written, and what waits for them. */
  let lines = ''
  let waiters: Array<() => void> = []
  let timer: NodeJS.Timeout | null = null
  /** After close(): nothing is retried on a connection that is about to close. */
  let closed = false
  const listeners: Array<(rows: UsageRow[]) => void> = []

  const write = db.transaction((rows: NewUsage[], journalUpTo: number, fileUpTo = 0) => {
    if (journalUpTo > 0) journalClear.run(journalUpTo)
    if (fileUpTo > 0) markSet.run(String(fileUpTo))
    const stored: UsageRow[] = []
    const lastUse = new Map<string, number>()
    let firstId = 0
    let lastId = -1
    for (const r of rows) {
      const info = insert.run(
        r.createdAt, r.workspaceId, r.apiKeyId, r.providerSlug, r.model, r.endpoint, r.status, r.stream ? 1 : 0,
        r.latencyMs, r.ttfbMs, r.inputTokens, r.outputTokens, r.cachedTokens, r.costMicros,
        r.metadata === null ? null : JSON.stringify(r.metadata), r.traceId, r.error,
        r.cacheWriteTokens ?? null, r.reasoningTokens ?? null, r.integrationId ?? null, r.providerId ?? null, r.admitted ? 1 : 0,
        r.guardrails?.length ? JSON.stringify(r.guardrails) : null, r.usageSource ?? null,
        r.attempts?.length ? JSON.stringify(r.attempts) : null,
      )
      lastId = Number(info.lastInsertRowid)
      if (firstId === 0) firstId = lastId
      if (listeners.length) stored.push({ ...r, usageSource: r.usageSource ?? null, attempts: r.attempts ?? null, id: lastId })
      if (r.apiKeyId) lastUse.set(r.apiKeyId, Math.max(lastUse.get(r.apiKeyId) ?? 0, r.createdAt))
    }
    // The rollup and metadata index of these rows, one statement each (ids only grow: they are a range).
    derive(firstId, lastId)
    for (const [id, at] of lastUse) touchKey.run(at, id)
    return stored
  })

  /** One write() for every line of the turn, then the answers that waited for it. */
  function writeLines(): void {
    if (lines) {
      try {
        writeSync(fd, lines)
      } catch (err) {
        // Still queued in memory: written with the next batch, only not crash-safe meanwhile.
        log.error('usage journal write failed', { error: err })
      }
      lines = ''
    }
    const ready = waiters
    waiters = []
    for (const then of ready) then()
  }

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = null
    writeLines()
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch)
      try {
        const upTo = Math.max(0, ...journaled.slice(0, batch.length))
        const stored = mode === 'file' ? write(batch, 0, upTo) : write(batch, upTo)
        queue = queue.slice(batch.length)
        journaled = journaled.slice(batch.length)
        // Everything the file holds is in `usage` now (the mark says so if the truncate never happens).
        if (fd >= 0 && queue.length === 0) ftruncateSync(fd, 0)
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
    if (timer || closed) return
    timer = setTimeout(flush, ms)
    timer.unref()
  }

  /** A crash left rows in the journal: they go to `usage` now, before counters are rebuilt from it. */
  const left = db.prepare<[], { id: number; row: string }>('SELECT id, row FROM usage_journal WHERE id > 0 ORDER BY id').all()
  if (left.length) {
    write(left.map((r) => JSON.parse(r.row) as NewUsage), (left.at(-1) as { id: number }).id)
    log.info('usage rows recovered from the journal after an unclean stop', { rows: left.length })
  }

  if (mode === 'file') {
    // Lines after the mark are rows a crash kept from `usage`; a torn last line is a call never answered.
    const file = journalFileOf(db.name)
    fd = openSync(file, 'a+')
    seq = Number(markRead.get()?.row ?? 0)
    const rows: NewUsage[] = []
    for (const text of readFileSync(fd, 'utf8').split('\n')) {
      // null: the line being written when the process died
      const line = text ? readJournalLine(text) : null
      if (line && line.seq > seq) {
        rows.push(line.row)
        seq = line.seq
      }
    }
    if (rows.length) {
      write(rows, 0, seq)
      log.info('usage rows recovered from the journal file after an unclean stop', { rows: rows.length })
    }
    ftruncateSync(fd, 0)
  }

  function journal(row: NewUsage): number {
    try {
      if (mode === 'file') {
        // Written with the turn's other rows (writeLines): a killed process keeps it, no fsync needed (as for WAL at synchronous=NORMAL).
        if (!lines) setImmediate(writeLines)
        lines += journalLine(++seq, row)
        return seq
      }
      return Number(journalAdd.run(JSON.stringify(row)).lastInsertRowid)
    } catch (err) {
      // Still queued in memory: written with the next batch, only not crash-safe meanwhile.
      log.error('usage journal write failed', { error: err })
      return 0
    }
  }

  return {
    enqueue(row) {
      queue.push(row)
      journaled.push(mode === 'journal' || mode === 'file' ? journal(row) : 0)
      if (mode === 'commit' && queue.length === 1) flush()
      else if (queue.length >= maxBatch) setImmediate(flush)
      else schedule(delayMs)
    },
    afterJournal(then) {
      if (lines) waiters.push(then)
      else then()
    },
    flush,
    close() {
      closed = true
      flush()
      if (timer) clearTimeout(timer)
      timer = null
      if (queue.length) {
        // The database refused the last batch (another process holds it): the journal keeps the rows for the next start.
        const kept = mode === 'file' || mode === 'journal'
        log.warn(kept ? 'usage rows not written at close; the journal keeps them for the next start' : 'usage rows not written at close are lost', { rows: queue.length })
      }
      if (fd >= 0) closeSync(fd)
      fd = -1
    },
    pending: () => queue.length,
    onWritten: (fn) => void listeners.push(fn),
  }
}
