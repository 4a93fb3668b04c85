/** Trace ids: UUIDv7, ordered by time, unique within a millisecond. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { traceId } from '../../main/ids.ts'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

test('a trace id is a UUIDv7 whose first 48 bits are the epoch milliseconds', () => {
  for (const at of [0, 1, Date.parse('2026-12-07T04:00:00Z'), 2 ** 48 - 1]) {
    const id = traceId(at)
    assert.match(id, UUID_V7)
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at)
  }
})

test('later ids sort after earlier ones, and ids of one millisecond differ', () => {
  const at = Date.parse('2026-12-07T04:00:00Z')
  const ids = [traceId(at - 1), traceId(at), traceId(at + 1), traceId(at + 1000)]
  assert.deepEqual([...ids].sort(), ids)
  const same = new Set(Array.from({ length: 1000 }, () => traceId(at)))
  assert.equal(same.size, 1000)
})
