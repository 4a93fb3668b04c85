/** The captured-bodies table: written from its queue, found by usage row, bounded in total size (oldest go first). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { migrate } from '../../main/store/migrate.ts'
import { openDb } from '../../main/store/openDb.ts'
import { bodiesRepo } from '../../main/store/bodiesRepo.ts'

function setup(maxTotalBytes: number) {
  const db = openDb(':memory:')
  migrate(db)
  const addUsage = (traceId: string, createdAt: number) =>
    Number(db.prepare("INSERT INTO usage (created_at, endpoint, status, stream, latency_ms, trace_id) VALUES (?, '/v1/chat/completions', 200, 0, 5, ?)").run(createdAt, traceId).lastInsertRowid)
  return { db, repo: bodiesRepo(db, { maxTotalBytes }), addUsage }
}

const body = (traceId: string, createdAt: number, size: number) => ({ traceId, createdAt, request: 'q'.repeat(size), response: 'a'.repeat(size), requestTruncated: false, responseTruncated: false })

test('a usage row finds its bodies by trace id and time; another row with the same trace id does not', () => {
  const { repo, addUsage } = setup(1_000_000)
  const first = addUsage('t', 1)
  const second = addUsage('t', 2)
  repo.enqueue(() => body('t', 1, 3))
  assert.deepEqual(repo.forUsage(first), { captured: true, request: 'qqq', response: 'aaa', requestTruncated: false, responseTruncated: false })
  assert.deepEqual(repo.forUsage(second), { captured: false })
})

test('nothing is written until the queue is flushed, and a maker returning null writes nothing', () => {
  const { repo } = setup(1_000_000)
  repo.enqueue(() => body('t', 1, 3))
  repo.enqueue(() => null)
  assert.equal(repo.totalBytes(), 0)
  repo.flush()
  assert.equal(repo.totalBytes(), 6)
})

test('past the total bound the oldest bodies are deleted, the newest kept', () => {
  const { db, repo } = setup(1000)
  for (let i = 0; i < 10; i++) repo.enqueue(() => body(`t${i}`, i, 100)) // 200 bytes each
  repo.flush()
  assert.ok(repo.totalBytes() <= 1000)
  const left = (db.prepare('SELECT trace_id FROM usage_bodies ORDER BY id').all() as Array<{ trace_id: string }>).map((r) => r.trace_id)
  assert.deepEqual(left, ['t5', 't6', 't7', 't8', 't9'])
})
