/** Usage rows are batched off the response path, survive a busy database, and a flush loses nothing. */
import assert from 'node:assert/strict'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStore } from '../../main/store/Store.ts'
import { openDb } from '../../main/store/openDb.ts'
import { setLogSink } from '../../main/log.ts'
import { journalFileOf, type NewUsage } from '../../main/store/UsageWriter.ts'

const row = (i: number, extra: Partial<NewUsage> = {}): NewUsage => ({
  createdAt: 1_700_000_000_000 + i,
  workspaceId: 'ws_default',
  apiKeyId: null,
  providerSlug: 'p',
  model: 'm',
  endpoint: '/v1/chat/completions',
  status: 200,
  stream: false,
  latencyMs: 5,
  ttfbMs: 1,
  inputTokens: 10,
  outputTokens: 20,
  cachedTokens: 0,
  costMicros: 7,
  metadata: { i: String(i) },
  traceId: `t${i}`,
  error: null,
  ...extra,
})

test('file (the default): the rows of one turn reach the journal file in one write before afterJournal answers; a crash loses nothing and repeats nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const file = join(dir, 'db.sqlite')
  const store = openStore(file)
  const kept = (writer = store.usageWriter) => new Promise<void>((resolve) => writer.afterJournal(resolve))
  store.usageWriter.enqueue(row(1, { usageSource: 'delivered' }))
  store.usageWriter.enqueue(row(2))
  assert.equal(readFileSync(journalFileOf(file), 'utf8'), '', 'grouped: written when the turn ends')
  let answered = false
  store.usageWriter.afterJournal(() => {
    answered = true
    assert.equal(readFileSync(journalFileOf(file), 'utf8').trim().split('\n').length, 2, 'one line per row, both written before the answers go out')
  })
  assert.equal(answered, false, 'the answer waits for the write')
  await kept()
  assert.equal(answered, true)
  assert.equal(store.usage.count(), 0, 'the indexed table is written in batches')
  // The process dies: no flush, the connection simply goes away.
  store.db.close()
  // A torn last line (the process died inside a write) is skipped.
  appendFileSync(journalFileOf(file), '[3,{"createdAt":')
  const reopened = openStore(file)
  assert.equal(reopened.usage.count(), 2, 'recovered from the journal file at start')
  assert.equal(reopened.usage.query({ limit: 2 })[1]?.usageSource, 'delivered')
  assert.equal(readFileSync(journalFileOf(file), 'utf8'), '', 'emptied once recovered')
  reopened.usageWriter.enqueue(row(4))
  await kept(reopened.usageWriter)
  const lines = readFileSync(journalFileOf(file), 'utf8')
  reopened.usageWriter.flush()
  assert.equal(reopened.usage.count(), 3)
  assert.equal(readFileSync(journalFileOf(file), 'utf8'), '', 'a batch empties the file')
  reopened.db.close()
  // A crash between a batch's commit and the file's truncation: the lines are back, the mark skips them.
  writeFileSync(journalFileOf(file), lines)
  const again = openStore(file)
  assert.equal(again.usage.count(), 3, 'no row written twice')
  again.usageWriter.enqueue(row(5))
  again.close() // writes what the turn holds, then the batch
  const last = openStore(file)
  assert.equal(last.usage.count(), 4, 'sequence numbers keep growing across starts')
  last.close()
  rmSync(dir, { recursive: true, force: true })
})

test('journal table: a recorded row is committed at once; a crash before the batch loses nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const store = openStore(join(dir, 'db.sqlite'), { usageWrites: 'journal' })
  store.usageWriter.enqueue(row(1, { usageSource: 'delivered' }))
  assert.equal(store.usage.count(), 0, 'the indexed table is written in batches')
  // Another connection (as after a crash and restart) already sees it, committed in the journal.
  const other = openDb(join(dir, 'db.sqlite'))
  assert.equal((other.prepare('SELECT count(*) AS n FROM usage_journal').get() as { n: number }).n, 1)
  other.close()
  // The process dies: no flush, the connection simply goes away.
  store.db.close()
  const reopened = openStore(join(dir, 'db.sqlite'), { usageWrites: 'journal' })
  assert.equal(reopened.usage.count(), 1, 'recovered from the journal at start')
  assert.equal(reopened.usage.query({ limit: 1 })[0]?.usageSource, 'delivered')
  assert.equal((reopened.db.prepare('SELECT count(*) AS n FROM usage_journal').get() as { n: number }).n, 0)
  reopened.usageWriter.enqueue(row(2))
  reopened.usageWriter.flush()
  assert.equal(reopened.usage.count(), 2)
  assert.equal((reopened.db.prepare('SELECT count(*) AS n FROM usage_journal').get() as { n: number }).n, 0, 'a batch clears the journal')
  reopened.close()
  rmSync(dir, { recursive: true, force: true })
})

test('commit mode: each row goes straight into usage in its own transaction', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const store = openStore(join(dir, 'db.sqlite'), { usageWrites: 'commit' })
  store.usageWriter.enqueue(row(1))
  assert.equal(store.usageWriter.pending(), 0)
  assert.equal(store.usage.count(), 1)
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

test('batch mode: enqueue does not write synchronously; rows arrive in one batch; flush writes the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const store = openStore(join(dir, 'db.sqlite'), { usageWrites: 'batch' })
  const batches: number[] = []
  store.usageWriter.onWritten((rows) => batches.push(rows.length))
  for (let i = 0; i < 500; i++) store.usageWriter.enqueue(row(i))
  assert.equal(store.usage.count(), 0, 'nothing written on the request path')
  assert.equal(store.usageWriter.pending(), 500)
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(store.usage.count(), 500)
  assert.deepEqual(batches, [500])
  for (let i = 500; i < 510; i++) store.usageWriter.enqueue(row(i))
  store.close() // flushes
  const reopened = openStore(join(dir, 'db.sqlite'), { usageWrites: 'batch' })
  assert.equal(reopened.usage.count(), 510)
  const [last] = reopened.usage.query({ limit: 1 })
  assert.deepEqual(last?.metadata, { i: '509' })
  reopened.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a failing write keeps the rows queued for a retry', () => {
  const logged: string[] = []
  setLogSink((l) => void logged.push(l))
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const store = openStore(join(dir, 'db.sqlite'), { usageWrites: 'commit' })
  // Another process holds the write lock: the write fails with SQLITE_BUSY.
  store.db.pragma('busy_timeout = 10')
  const other = openDb(join(dir, 'db.sqlite'))
  other.exec('BEGIN IMMEDIATE')
  store.usageWriter.enqueue(row(1))
  assert.equal(store.usageWriter.pending(), 1, 'row kept')
  other.exec('COMMIT')
  other.close()
  store.usageWriter.flush()
  assert.equal(store.usageWriter.pending(), 0)
  assert.equal(store.usage.count(), 1)
  assert.ok(logged.some((l) => l.includes('usage write failed')))
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

test('summary by day follows the time zone, including half-hour offsets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const store = openStore(join(dir, 'db.sqlite'))
  // 2026-03-01T18:40Z is already 2026-03-02 in Kolkata (+5:30), still 2026-03-01 in New York.
  const t = Date.UTC(2026, 2, 1, 18, 40)
  store.usageWriter.enqueue(row(0, { createdAt: t }))
  store.usageWriter.enqueue(row(1, { createdAt: t - 12 * 3600_000 }))
  store.usageWriter.flush()
  const kolkata = store.usage.summary({ groupBy: 'day', timeZone: 'Asia/Kolkata' })
  assert.deepEqual(kolkata.map((r) => [r.key, r.requests]), [['2026-03-01', 1], ['2026-03-02', 1]])
  const ny = store.usage.summary({ groupBy: 'day', timeZone: 'America/New_York' })
  assert.deepEqual(ny.map((r) => [r.key, r.requests]), [['2026-03-01', 2]])
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

test('close with the database held elsewhere: no retry outlives the writer, and the journal keeps the row for the next start', (t) => {
  const logged: string[] = []
  setLogSink((l) => void logged.push(l))
  t.mock.timers.enable({ apis: ['setTimeout', 'setImmediate'] })
  const dir = mkdtempSync(join(tmpdir(), 'sy-usage-'))
  const file = join(dir, 'db.sqlite')
  const store = openStore(file)
  store.db.pragma('busy_timeout = 10')
  const other = openDb(file)
  other.exec('BEGIN IMMEDIATE')
  store.usageWriter.enqueue(row(1))
  store.close() // the batch fails: SQLITE_BUSY
  assert.equal(logged.filter((l) => l.includes('usage write failed')).length, 1)
  assert.ok(logged.some((l) => l.includes('the journal keeps them for the next start')))
  t.mock.timers.tick(10_000)
  assert.equal(logged.filter((l) => l.includes('usage write failed')).length, 1, 'no retry on a closed connection')
  other.exec('COMMIT')
  other.close()
  const reopened = openStore(file)
  assert.equal(reopened.usage.count(), 1, 'recovered at the next start')
  reopened.close()
  rmSync(dir, { recursive: true, force: true })
})
