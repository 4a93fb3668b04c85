// The renderer's transport: HTTP and bridge answers become values or typed ControlErrors.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bridgeGateway, ControlError, httpGateway } from '../../renderer/lib/gateway.ts'

type Seen = { url: string; init: RequestInit }

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}

describe('httpGateway', () => {
  test('posts the input to /admin/api/<name> with the bearer token and unwraps the value', async () => {
    const seen: Seen[] = []
    const gw = httpGateway({
      baseUrl: 'http://127.0.0.1:9',
      token: () => 'tok-123',
      fetch: async (url, init) => {
        seen.push({ url, init })
        return jsonResponse(200, { ok: true, value: [{ id: 'w1' }] })
      },
    })
    const value = await gw.invoke('workspaces:list', {})
    assert.deepEqual(value, [{ id: 'w1' }])
    assert.equal(seen.length, 1)
    assert.equal(seen[0]?.url, 'http://127.0.0.1:9/admin/api/workspaces:list')
    assert.equal(seen[0]?.init.method, 'POST')
    assert.equal(seen[0]?.init.body, '{}')
    const headers = seen[0]?.init.headers as Record<string, string>
    assert.equal(headers.authorization, 'Bearer tok-123')
    assert.equal(headers['content-type'], 'application/json')
  })

  test('a failed Result throws ControlError with its code and path', async () => {
    const gw = httpGateway({
      baseUrl: '',
      token: () => 't',
      fetch: async () =>
        jsonResponse(409, { ok: false, error: { code: 'conflict', message: 'slug taken', path: 'slug' } }),
    })
    await assert.rejects(gw.invoke('integrations:create', { kind: 'openai', slug: 'x' }), (err) => {
      assert.ok(err instanceof ControlError)
      assert.equal(err.code, 'conflict')
      assert.equal(err.path, 'slug')
      assert.equal(err.message, 'slug taken')
      return true
    })
  })

  test('no token means no Authorization header', async () => {
    let headers: Record<string, string> = {}
    const gw = httpGateway({
      baseUrl: '',
      token: () => null,
      fetch: async (_url, init) => {
        headers = init.headers as Record<string, string>
        return jsonResponse(401, { ok: false, error: { code: 'unauthorized', message: 'token required' } })
      },
    })
    await assert.rejects(gw.invoke('system:status', {}), { code: 'unauthorized' })
    assert.equal(headers.authorization, undefined)
  })

  test('a non-JSON answer is internal_error, a bare 401 is unauthorized', async () => {
    const html = (status: number) =>
      httpGateway({ baseUrl: '', token: () => 't', fetch: async () => new Response('<h1>Bad gateway</h1>', { status }) })
    await assert.rejects(html(502).invoke('system:status', {}), { code: 'internal_error' })
    await assert.rejects(html(401).invoke('system:status', {}), { code: 'unauthorized' })
  })

  test('JSON that is not a Result is internal_error', async () => {
    const gw = httpGateway({ baseUrl: '', token: () => 't', fetch: async () => jsonResponse(200, { hello: 1 }) })
    await assert.rejects(gw.invoke('system:status', {}), { code: 'internal_error' })
  })

  test('a network failure is unreachable', async () => {
    const gw = httpGateway({
      baseUrl: '',
      token: () => 't',
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    await assert.rejects(gw.invoke('system:status', {}), { code: 'unreachable' })
  })
})

describe('bridgeGateway', () => {
  test('unwraps the Result the preload returns', async () => {
    const gw = bridgeGateway({ invoke: async () => ({ ok: true, value: { deleted: true } }), on: () => () => {} })
    assert.deepEqual(await gw.invoke('providers:delete', { id: 'p' }), { deleted: true })
  })

  test('a failed Result throws ControlError', async () => {
    const gw = bridgeGateway({
      invoke: async () => ({ ok: false, error: { code: 'not_found', message: 'no such provider' } }),
      on: () => () => {},
    })
    await assert.rejects(gw.invoke('providers:delete', { id: 'p' }), { code: 'not_found' })
  })

  test('subscribe goes to the bridge and hands back its unsubscribe', () => {
    const calls: string[] = []
    const gw = bridgeGateway({
      invoke: async () => ({ ok: true, value: null }),
      on: (event, fn) => {
        calls.push(event)
        fn({ reason: 'x' } as never)
        return () => calls.push(`off:${event}`)
      },
    })
    const seen: unknown[] = []
    const off = gw.subscribe?.('catalog:changed', (p) => seen.push(p))
    off?.()
    assert.deepEqual(calls, ['catalog:changed', 'off:catalog:changed'])
    assert.deepEqual(seen, [{ reason: 'x' }])
  })
})
