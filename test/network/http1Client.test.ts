/**
 * The upstream HTTP/1.1 client against raw TCP (and TLS) servers that write exact bytes: framing by
 * length, chunks and close, split at every byte; interim responses; connection reuse and when it must
 * not happen; malformed answers; header injection; destroy; the connection limit; TLS verification.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import tls from 'node:tls'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { http1Request, type Http1Headers, type Http1Target } from '../../main/network/http1Client.ts'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url))

type Answer = (socket: net.Socket, request: string, n: number) => void | Promise<void>

/** A server that reads each request (head and Content-Length body) and lets `answer` write raw bytes. */
async function rawServer(answer: Answer, secure = false): Promise<{ target: Http1Target; connections: () => number; requests: string[]; maxOpen: () => number; close(): Promise<void> }> {
  let connections = 0
  let open = 0
  let maxOpen = 0
  const requests: string[] = []
  const sockets = new Set<net.Socket>()
  const onSocket = (socket: net.Socket) => {
    connections += 1
    open += 1
    maxOpen = Math.max(maxOpen, open)
    sockets.add(socket)
    socket.on('close', () => {
      open -= 1
      sockets.delete(socket)
    })
    socket.on('error', () => {})
    let buf = Buffer.alloc(0)
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d])
      for (;;) {
        const end = buf.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buf.toString('latin1', 0, end)
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
        if (buf.length < end + 4 + length) return
        const request = buf.toString('latin1', 0, end + 4 + length)
        buf = buf.subarray(end + 4 + length)
        requests.push(request)
        void answer(socket, request, requests.length)
      }
    })
  }
  const server = secure ? tls.createServer({ key: fixture('localhost.key'), cert: fixture('localhost.crt') }, onSocket) : net.createServer(onSocket)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as net.AddressInfo).port
  return {
    // Each server its own pool, so counts of connections are this test's alone.
    target: { secure, hostname: '127.0.0.1', port, pool: `test-${port}` },
    connections: () => connections,
    requests,
    maxOpen: () => maxOpen,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((r) => server.close(() => r()))
    },
  }
}

type Got = { status: number | null; headers: Http1Headers | null; body: string; error: NodeJS.ErrnoException | null; events: string[] }

function call(target: Http1Target, body = '{"hi":1}', headers: string[] = []): { done: Promise<Got>; destroy(err: Error): void; got: Got } {
  const got: Got = { status: null, headers: null, body: '', error: null, events: [] }
  let destroy: (err: Error) => void = () => {}
  const done = new Promise<Got>((resolve) => {
    const c = http1Request(target, 'POST', '/v1/chat', ['host', `127.0.0.1:${target.port}`, 'content-type', 'application/json', ...headers, 'content-length', String(Buffer.byteLength(body))], [Buffer.from(body)], {
      head(status, h) {
        got.events.push('head')
        got.status = status
        got.headers = h
      },
      data(chunk) {
        got.events.push('data')
        got.body += chunk.toString('latin1')
      },
      end() {
        got.events.push('end')
        resolve(got)
      },
      error(err) {
        got.events.push('error')
        got.error = err
        resolve(got)
      },
    })
    destroy = (err) => c.destroy(err)
  })
  return { done, destroy: (err) => destroy(err), got }
}

const servers: Array<{ close(): Promise<void> }> = []
after(async () => {
  for (const s of servers) await s.close()
})
async function serve(answer: Answer, secure = false) {
  const s = await rawServer(answer, secure)
  servers.push(s)
  return s
}

const lengthAnswer = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`

describe('framing', () => {
  test('a Content-Length answer: status, headers as Node shows them, body; the connection is reused', async () => {
    const s = await serve((socket) =>
      void socket.write(lengthAnswer('{"ok":true}', 'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nVary: a\r\nVary: b\r\nX-Pad:   spaced  \r\nContent-Type: text/plain\r\n')),
    )
    for (let i = 0; i < 3; i++) {
      const got = await call(s.target).done
      assert.equal(got.error, null)
      assert.equal(got.status, 200)
      assert.equal(got.body, '{"ok":true}')
      assert.deepEqual(got.headers?.['set-cookie'], ['a=1', 'b=2'])
      assert.equal(got.headers?.vary, 'a, b')
      assert.equal(got.headers?.['x-pad'], 'spaced')
      assert.equal(got.headers?.['content-type'], 'application/json', 'the first Content-Type wins, as in Node')
    }
    assert.equal(s.connections(), 1)
    assert.match(s.requests[0] ?? '', /^POST \/v1\/chat HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\ncontent-type: application\/json\r\ncontent-length: 8\r\n\r\n\{"hi":1\}$/)
  })

  const splitCases: Array<{ name: string; bytes: string; body: string }> = [
    { name: 'Content-Length after a 100 Continue and a 103', bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' + lengthAnswer('{"a":"bc"}'), body: '{"a":"bc"}' },
    {
      name: 'chunked, with an extension and trailers',
      bytes: 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n6;ext=1\r\ndata: \r\nA\r\n{"x":"yz"}\r\n0\r\nX-Trailer: t\r\n\r\n',
      body: 'data: {"x":"yz"}',
    },
  ]
  for (const c of splitCases) {
    test(`${c.name}: the same answer however the bytes are split`, async () => {
      const s = await serve(async (socket, _req, n) => {
        const at = (n - 1) % (c.bytes.length + 1)
        socket.write(c.bytes.slice(0, at), 'latin1')
        await sleep(2)
        socket.write(c.bytes.slice(at), 'latin1')
      })
      for (let i = 0; i <= c.bytes.length; i++) {
        const got = await call(s.target).done
        assert.equal(got.error, null, `split at ${i}: ${got.error?.message}`)
        assert.equal(got.status, 200, `split at ${i}`)
        assert.equal(got.body, c.body, `split at ${i}`)
        assert.deepEqual(got.events.filter((e) => e !== 'data'), ['head', 'end'], `split at ${i}`)
      }
      assert.equal(s.connections(), 1, 'every complete answer left the connection reusable')
    })
  }

  test('a body delimited by the close, and Connection: close, are not reused; 204 has no body', async () => {
    const s = await serve((socket, _req, n) => {
      if (n === 1) return void socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end')
      if (n === 2) return void socket.write(lengthAnswer('{}', 'Connection: close\r\n'))
      socket.write('HTTP/1.1 204 No Content\r\n\r\n')
    })
    const first = await call(s.target).done
    assert.equal(first.body, 'until the end')
    assert.equal(first.error, null)
    const second = await call(s.target).done
    assert.equal(second.body, '{}')
    const third = await call(s.target).done
    assert.equal(third.status, 204)
    assert.equal(third.body, '')
    const fourth = await call(s.target).done
    assert.equal(fourth.status, 204)
    assert.equal(s.connections(), 3, 'a new connection after the close-delimited and the Connection: close answers, then reuse')
  })
})

describe('connections', () => {
  test('a connection the server closed while idle is not used: the next call gets a new one, without an error', async () => {
    const s = await serve((socket) => void socket.end(lengthAnswer('{}', 'Connection: keep-alive\r\n')))
    // The server ends each connection after its answer (without saying Connection: close).
    for (let i = 0; i < 3; i++) {
      await sleep(20)
      const got = await call(s.target).done
      assert.equal(got.error, null, got.error?.message)
      assert.equal(got.body, '{}')
    }
    assert.equal(s.connections(), 3)
  })

  test("a connection is not reused within a second of the server's Keep-Alive timeout", async () => {
    const s = await serve((socket) => void socket.write(lengthAnswer('{}', 'Keep-Alive: timeout=2\r\n')))
    await call(s.target).done
    await call(s.target).done
    assert.equal(s.connections(), 1, 'reused at once')
    await sleep(1100)
    await call(s.target).done
    assert.equal(s.connections(), 2, 'not after 1.1 s of a 2 s timeout')
  })

  test('at most 256 connections per origin; the other calls wait for one and all are answered', async () => {
    const s = await serve(async (socket) => {
      await sleep(30)
      socket.write(lengthAnswer('{}'))
    })
    const all = await Promise.all(Array.from({ length: 300 }, () => call(s.target).done))
    assert.equal(all.filter((g) => g.error === null && g.body === '{}').length, 300)
    assert.equal(s.maxOpen(), 256)
  })

  test('an unreachable port is an error before any head', async () => {
    const s = await serve(() => {})
    const port = s.target.port
    await s.close()
    const got = await call({ secure: false, hostname: '127.0.0.1', port, pool: 'refused' }).done
    assert.equal(got.error?.code, 'ECONNREFUSED')
    assert.deepEqual(got.events, ['error'])
  })
})

describe('what it refuses', () => {
  const bad: Array<{ name: string; bytes: string; code: string; afterHead: boolean }> = [
    { name: 'not HTTP', bytes: 'SSH-2.0-OpenSSH\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'a header line without a colon', bytes: 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'a folded header', bytes: 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'a non-numeric Content-Length', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'two different Content-Lengths', bytes: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'Transfer-Encoding and Content-Length', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: '101 Switching Protocols', bytes: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n', code: 'HPE_INVALID_RESPONSE', afterHead: false },
    { name: 'a head over 64 KiB', bytes: `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, code: 'HPE_HEADER_OVERFLOW', afterHead: false },
    { name: 'a chunk size that is not hex', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', code: 'HPE_INVALID_CHUNK_SIZE', afterHead: true },
    { name: 'a chunk longer than its size', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n', code: 'HPE_INVALID_CHUNK_SIZE', afterHead: true },
  ]
  for (const b of bad) {
    test(`${b.name}: an error, and the connection is not reused`, async () => {
      const s = await serve((socket) => void socket.write(b.bytes))
      const got = await call(s.target).done
      assert.equal(got.error?.code, b.code, got.error?.message)
      assert.equal(got.events.includes('head'), b.afterHead)
      assert.equal(got.events.at(-1), 'error')
      assert.ok(!got.events.includes('end'))
    })
  }

  test('an answer cut short after its head is an error after the head', async () => {
    const s = await serve((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial"')
      setTimeout(() => socket.destroy(), 10)
    })
    const got = await call(s.target).done
    assert.deepEqual(got.events, ['head', 'data', 'error'])
    assert.equal(got.error?.code, 'ECONNRESET')
  })

  test('bytes after a complete answer: the answer stands, the connection is dropped', async () => {
    const s = await serve((socket) => void socket.write(lengthAnswer('{}') + 'HTTP/1.1 200 OK\r\n'))
    assert.equal((await call(s.target).done).body, '{}')
    assert.equal((await call(s.target).done).body, '{}')
    assert.equal(s.connections(), 2)
  })

  const injections: Array<{ name: string; headers: string[]; path?: string; code: string }> = [
    { name: 'CRLF in a header value', headers: ['x-meta', 'a\r\nPOST /admin HTTP/1.1'], code: 'ERR_INVALID_CHAR' },
    { name: 'LF alone in a header value', headers: ['x-meta', 'a\nb'], code: 'ERR_INVALID_CHAR' },
    { name: 'NUL in a header value', headers: ['x-meta', 'a\0b'], code: 'ERR_INVALID_CHAR' },
    { name: 'a character past Latin-1 in a header value', headers: ['x-meta', 'caf\u20ac'], code: 'ERR_INVALID_CHAR' },
    { name: 'a space in a header name', headers: ['x meta', 'a'], code: 'ERR_INVALID_HTTP_TOKEN' },
    { name: 'a colon in a header name', headers: ['x:meta', 'a'], code: 'ERR_INVALID_HTTP_TOKEN' },
    { name: 'a space in the path', headers: [], path: '/v1/chat HTTP/1.1\r\nX: y', code: 'ERR_UNESCAPED_CHARACTERS' },
  ]
  for (const inj of injections) {
    test(`${inj.name} is refused before anything is sent`, async () => {
      const s = await serve((socket) => void socket.write(lengthAnswer('{}')))
      assert.throws(
        () => http1Request(s.target, 'POST', inj.path ?? '/v1', ['host', 'x', ...inj.headers], [], { head() {}, data() {}, end() {}, error() {} }),
        { code: inj.code },
      )
      await sleep(20)
      assert.equal(s.connections(), 0)
    })
  }
})

describe('destroy and TLS', () => {
  test('destroy mid-body: the error comes on the next tick, after what the caller did next; the pool recovers', async () => {
    const s = await serve((socket, _req, n) => {
      if (n === 1) socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n')
      else socket.write(lengthAnswer('{}'))
    })
    const c = call(s.target)
    while (!c.got.events.includes('data')) await sleep(5)
    const order: string[] = []
    const why = Object.assign(new Error('client closed the request'), { code: 'GONE' })
    c.destroy(why)
    order.push('after destroy')
    const got = await c.done
    assert.equal(got.error, why)
    assert.deepEqual(got.events, ['head', 'data', 'error'])
    assert.equal(c.got.events.at(-1), 'error')
    assert.deepEqual(order, ['after destroy'])
    const next = await call(s.target).done
    assert.equal(next.body, '{}')
    assert.equal(s.connections(), 2, 'the destroyed connection was not reused')
  })

  test('TLS: verified against the trusted CA, answered, and reused; an untrusted certificate is refused', async () => {
    const s = await serve((socket) => void socket.write(lengthAnswer('{"tls":true}')), true)
    const trusted = { ...s.target, hostname: 'localhost', ca: fixture('localhost.crt') }
    for (let i = 0; i < 2; i++) {
      const got = await call(trusted).done
      assert.equal(got.error, null, got.error?.message)
      assert.equal(got.body, '{"tls":true}')
    }
    assert.equal(s.connections(), 1)
    const untrusted = await call({ ...s.target, pool: 'untrusted' }).done
    assert.equal(untrusted.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT')
    assert.deepEqual(untrusted.events, ['error'])
  })
})
