// Live feed: SSE parsing, the HTTP source (token header, batches, reconnect) and the store's coalescing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { httpLiveSource, parseSse, type LiveEvent, type LiveSource, type LiveStatus } from '../../renderer/lib/liveEvents.ts'
import { createLiveStore } from '../../renderer/stores/live.ts'
import { usageRow } from './fixtures.ts'

test('parseSse: complete messages only, multi-line data joined, comments ignored, CRLF accepted', () => {
  const { messages, rest } = parseSse('retry: 2000\n: connected\n\nevent: batch\ndata: {"a":\ndata: 1}\n\r\nevent: batch\ndata: {"b"')
  assert.deepEqual(messages, [{ event: 'batch', data: '{"a":\n1}' }])
  assert.equal(rest, 'event: batch\ndata: {"b"')
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('httpLiveSource sends the token in a header, delivers batches, reconnects after a drop', async () => {
  const seen: Array<{ url: string; auth: string | undefined }> = []
  let calls = 0
  const fetch = async (url: string, init: RequestInit) => {
    seen.push({ url, auth: (init.headers as Record<string, string>).authorization })
    calls++
    const body = `event: batch\ndata: ${JSON.stringify({ events: [{ event: 'catalog:changed', payload: { reason: `r${calls}` } }], dropped: { 'usage:recorded': 2 } })}\n\n`
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
  }
  const got: Array<[LiveEvent[], number]> = []
  const statuses: LiveStatus[] = []
  const stop = httpLiveSource({ baseUrl: 'http://x', token: () => 'tok', fetch, retryMs: 10 }).connect((e, d) => got.push([e, d]), (s) => statuses.push(s))
  await sleep(60)
  stop()
  assert.deepEqual(seen[0], { url: 'http://x/admin/events', auth: 'Bearer tok' })
  assert.ok(calls >= 2, 'reconnected after the stream ended')
  assert.deepEqual(got[0], [[{ event: 'catalog:changed', payload: { reason: 'r1' } }], 2])
  assert.deepEqual(statuses.slice(0, 3), ['connecting', 'live', 'offline'])
})

/** A source the test pushes events into. */
function manualSource() {
  let push: ((events: LiveEvent[], dropped: number) => void) | null = null
  let connects = 0
  const source: LiveSource = {
    connect(onEvents, onStatus) {
      connects++
      push = onEvents
      onStatus('live')
      return () => (push = null)
    },
  }
  return { source, push: (e: LiveEvent[], d = 0) => push?.(e, d), connects: () => connects, connected: () => push !== null }
}

test('the store coalesces: rows in one batch per flush, revisions bumped at most once per throttle window (plus a trailing bump)', async () => {
  const m = manualSource()
  const store = createLiveStore(m.source, { flushMs: 10, throttleMs: 80 })
  const batches: number[][] = []
  store.getState().onUsage((rows) => batches.push(rows.map((r) => r.id)))
  const stopA = store.getState().start()
  const stopB = store.getState().start()
  assert.equal(m.connects(), 1, 'one connection however many views start it')
  assert.equal(store.getState().status, 'live')
  for (let i = 1; i <= 50; i++) m.push([{ event: 'usage:recorded', payload: usageRow({ id: i }) }])
  await sleep(30)
  assert.deepEqual(batches, [Array.from({ length: 50 }, (_, i) => i + 1)])
  assert.equal(store.getState().revisions['usage:recorded'], 1)
  m.push([{ event: 'usage:recorded', payload: usageRow({ id: 51 }) }], 7)
  await sleep(30)
  assert.equal(store.getState().revisions['usage:recorded'], 1, 'throttled')
  assert.equal(store.getState().dropped, 7)
  await sleep(120)
  assert.equal(store.getState().revisions['usage:recorded'], 2, 'trailing bump')
  stopA()
  assert.equal(m.connected(), true)
  stopB()
  assert.equal(m.connected(), false)
  assert.equal(store.getState().status, 'offline')
})
