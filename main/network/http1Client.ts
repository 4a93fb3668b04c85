/**
 * The upstream HTTP/1.1 client: keep-alive connection pools over `net`/`tls` sockets, a request
 * written as one corked head-and-body, and a response parser that hands the body on as slices of
 * the socket's own buffers. It replaces `http.request` for calls to providers because Node's client
 * (ClientRequest, the agent's socket hand-over, IncomingMessage streams) was measured at ~15 µs of
 * CPU per call at 16 concurrent and ~27 µs of added latency one at a time (bench/run.ts), about a
 * fifth of what the whole gateway adds; undici is lighter on CPU but its WebAssembly parser costs
 * ~29 MB of resident memory.
 *
 * What it speaks is what providers send: status line and headers (1xx skipped), bodies framed by
 * Content-Length, chunked transfer coding (extensions and trailers read and dropped) or the
 * connection's close. It refuses what it cannot frame safely: a malformed status line, header or
 * chunk size, conflicting lengths, oversized heads. Header names and values are checked before
 * anything is written, by Node's rules (no CR, LF or NUL: a header cannot smuggle a second request).
 * A connection is reused only after a complete message, when the server did not ask to close it, and
 * while younger than the server's `Keep-Alive: timeout` hint; idle sockets do not keep the process
 * alive. Nothing is retried: a POST to a model may have been billed even when its answer was lost.
 */
import net from 'node:net'
import type { LookupFunction } from 'node:net'
import tls from 'node:tls'

export type Http1Target = {
  secure: boolean
  /** Host name or IP address to connect to (and, for TLS, to verify and to send as SNI). */
  hostname: string
  port: number
  /** Connections are pooled per pool and origin: custom hosts under one network policy share one. */
  pool?: string
  /** Resolves the host name (custom hosts: only to addresses that were checked). */
  lookup?: LookupFunction
  /** Extra trusted CA certificates (tests; users set NODE_EXTRA_CA_CERTS, which `tls` reads itself). */
  ca?: string | Buffer
}

export type Http1Headers = Record<string, string | string[]>

export type Http1Handlers = {
  head(status: number, headers: Http1Headers): void
  /** A slice of the socket's buffer: valid for as long as the receiver keeps it (Buffers are not reused). */
  data(chunk: Buffer): void
  end(): void
  /** After `head`, an error means the body was cut short. Called at most once, and never after `end`. */
  error(err: NodeJS.ErrnoException): void
}

export type Http1Call = {
  /** Stops the call: the connection is closed (it may be mid-message) and `error(err)` runs on the next tick unless the call already ended. */
  destroy(err: Error): void
}

/** Per pool and origin, as Node's agents allowed; more calls wait for a connection. */
const MAX_SOCKETS = 256
/** Without a `Keep-Alive: timeout` hint, an idle connection is closed after this. */
const DEFAULT_IDLE_MS = 30_000
/** A connection is not reused this close to the server's own idle timeout (the server may be closing it). */
const IDLE_MARGIN_MS = 1000
const MAX_HEAD_BYTES = 64 * 1024
const MAX_LINE_BYTES = 8 * 1024

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Node's own rules (http.request): a value of tab, visible ASCII and Latin-1 only; a path of no
// spaces, control characters or anything past Latin-1.
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/
const BAD_PATH = /[^\u0021-\u00ff]/

type Pool = { key: string; target: Http1Target; idle: Connection[]; open: number; waiting: Array<(c: Connection) => void>; session: Buffer | null }
const pools = new Map<string, Pool>()
let sweeper: NodeJS.Timeout | null = null

/** A malformed answer: `message` says what was wrong (the caller names the provider); codes as llhttp's. */
function httpError(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code })
}

/**
 * Sends one request. `headers` is a flat [name, value, …] list that includes Host; `body` is written in
 * order. Throws at once (nothing sent) when a header or the path could not be written safely.
 */
export function http1Request(target: Http1Target, method: string, path: string, headers: readonly string[], body: readonly Buffer[], handlers: Http1Handlers): Http1Call {
  if (BAD_PATH.test(path) || path === '') throw Object.assign(new TypeError('Request path contains unescaped characters'), { code: 'ERR_UNESCAPED_CHARACTERS' })
  let head = `${method} ${path} HTTP/1.1\r\n`
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string
    const value = headers[i + 1] as string
    if (!TOKEN.test(name)) throw Object.assign(new TypeError(`Header name must be a valid HTTP token ["${name}"]`), { code: 'ERR_INVALID_HTTP_TOKEN' })
    if (BAD_VALUE.test(value)) throw Object.assign(new TypeError(`Invalid character in header content ["${name}"]`), { code: 'ERR_INVALID_CHAR' })
    head += `${name}: ${value}\r\n`
  }
  head += '\r\n'
  const exchange = new Exchange(head, body, handlers)
  acquire(poolFor(target), exchange)
  return exchange
}

function poolFor(target: Http1Target): Pool {
  const key = `${target.pool ?? ''}|${target.secure ? 's' : ''}|${target.hostname}|${target.port}`
  let pool = pools.get(key)
  if (!pool) {
    pool = { key, target, idle: [], open: 0, waiting: [], session: null }
    pools.set(key, pool)
    sweeper ??= setInterval(sweep, 5000).unref()
  }
  return pool
}

function acquire(pool: Pool, exchange: Exchange): void {
  const now = Date.now()
  for (let c = pool.idle.pop(); c; c = pool.idle.pop()) {
    if (c.usableAt(now)) return c.start(exchange)
    c.close()
  }
  if (pool.open < MAX_SOCKETS) return new Connection(pool).start(exchange)
  const waiter = (c: Connection) => c.start(exchange)
  pool.waiting.push(waiter)
  exchange.onCancelWhileWaiting = () => {
    const i = pool.waiting.indexOf(waiter)
    if (i >= 0) pool.waiting.splice(i, 1)
  }
}

/** Idle connections past their time are closed, and empty pools forgotten (custom hosts come and go). */
function sweep(): void {
  const now = Date.now()
  for (const pool of pools.values()) {
    const keep = pool.idle.filter((c) => c.usableAt(now))
    for (const c of pool.idle) if (!keep.includes(c)) c.close()
    pool.idle = keep
    if (pool.open === 0 && pool.waiting.length === 0) pools.delete(pool.key)
  }
  if (pools.size === 0 && sweeper) {
    clearInterval(sweeper)
    sweeper = null
  }
}

/** One request and its response, on whichever connection it gets. */
class Exchange implements Http1Call {
  connection: Connection | null = null
  settled = false
  headSeen = false
  onCancelWhileWaiting: (() => void) | null = null
  /** Destroyed by its caller: the error is reported asynchronously. */
  later = false
  readonly head: string
  readonly body: readonly Buffer[]
  readonly handlers: Http1Handlers
  constructor(head: string, body: readonly Buffer[], handlers: Http1Handlers) {
    this.head = head
    this.body = body
    this.handlers = handlers
  }

  destroy(err: Error): void {
    if (this.settled) return
    // As with Node's request.destroy(err): the error is reported on the next tick, so the caller
    // finishes what it was doing (recording why it stopped the call) first.
    this.later = true
    const c = this.connection
    if (c) c.fail(err)
    else {
      this.fail(err)
      this.onCancelWhileWaiting?.()
    }
  }

  fail(err: NodeJS.ErrnoException): void {
    if (this.settled) return
    this.settled = true
    if (this.later) process.nextTick(() => this.handlers.error(err))
    else this.handlers.error(err)
  }
}

type BodyMode = 'none' | 'length' | 'chunked' | 'close'
type State = 'head' | 'length' | 'chunkSize' | 'chunkData' | 'chunkEnd' | 'trailers' | 'close' | 'idle'

class Connection {
  readonly socket: net.Socket
  exchange: Exchange | null = null
  state: State = 'idle'
  /** Bytes of a head, chunk-size line or trailer line not complete yet. */
  pending: Buffer | null = null
  remaining = 0
  reusable = true
  idleSince = 0
  idleLimitMs = DEFAULT_IDLE_MS
  closed = false

  readonly pool: Pool

  constructor(pool: Pool) {
    this.pool = pool
    pool.open += 1
    const t = pool.target
    const options = { host: t.hostname, port: t.port, ...(t.lookup ? { lookup: t.lookup } : {}) }
    if (t.secure) {
      const s = tls.connect({
        ...options,
        servername: net.isIP(t.hostname) ? undefined : t.hostname,
        ALPNProtocols: ['http/1.1'],
        ...(pool.session ? { session: pool.session } : {}),
        ...(t.ca ? { ca: t.ca } : {}),
      })
      // The next connection resumes this TLS session: a shorter handshake, as Node's https agent does.
      s.on('session', (session: Buffer) => (pool.session = session))
      this.socket = s
    } else {
      this.socket = net.connect(options)
    }
    this.socket.setNoDelay(true)
    this.socket.setKeepAlive(true, 10_000)
    this.socket.on('data', (chunk: Buffer) => this.read(chunk))
    this.socket.on('end', () => this.ended())
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err))
    this.socket.on('close', () => this.gone())
  }

  usableAt(now: number): boolean {
    return !this.closed && now - this.idleSince < this.idleLimitMs
  }

  start(exchange: Exchange): void {
    if (exchange.settled) return this.release() // destroyed while it waited
    this.exchange = exchange
    exchange.connection = this
    this.state = 'head'
    this.socket.ref()
    this.socket.cork()
    this.socket.write(exchange.head, 'latin1')
    for (const part of exchange.body) this.socket.write(part)
    this.socket.uncork()
  }

  read(chunk: Buffer): void {
    const ex = this.exchange
    if (!ex) {
      // Bytes nobody asked for: this connection's framing can no longer be trusted.
      this.close()
      return
    }
    let at = 0
    while (at < chunk.length && this.exchange === ex && !ex.settled) {
      switch (this.state) {
        case 'head': {
          const end = this.headEnd(chunk, at)
          if (end < 0) return
          at = end
          break
        }
        case 'length':
        case 'chunkData': {
          const n = Math.min(this.remaining, chunk.length - at)
          this.remaining -= n
          const slice = chunk.subarray(at, at + n)
          at += n
          const last = this.remaining === 0
          if (last && this.state === 'chunkData') this.state = 'chunkEnd'
          ex.handlers.data(slice)
          // (The receiver may have destroyed the call: then the state is 'idle'.)
          if (last && this.state === 'length') this.complete(chunk.length - at)
          break
        }
        case 'chunkSize': {
          const line = this.line(chunk, at)
          if (!line) return
          at = line.next
          const size = chunkSize(line.text)
          if (size < 0) return this.fail(httpError('an invalid chunk size', 'HPE_INVALID_CHUNK_SIZE'))
          if (size === 0) this.state = 'trailers'
          else {
            this.remaining = size
            this.state = 'chunkData'
          }
          break
        }
        case 'chunkEnd':
        case 'trailers': {
          // The CRLF after a chunk's data, or a trailer line (dropped) until the empty one that ends the body.
          const line = this.line(chunk, at)
          if (!line) return
          at = line.next
          if (this.state === 'trailers') {
            if (line.text === '') this.complete(chunk.length - at)
          } else if (line.text !== '') return this.fail(httpError('a chunk longer than its size', 'HPE_INVALID_CHUNK_SIZE'))
          else this.state = 'chunkSize'
          break
        }
        case 'close': {
          const slice = at === 0 ? chunk : chunk.subarray(at)
          at = chunk.length
          ex.handlers.data(slice)
          break
        }
        case 'idle':
          return
      }
    }
  }

  /** Reads the response head; returns where its body starts, or -1 while the head is incomplete. */
  headEnd(chunk: Buffer, at: number): number {
    const before = this.pending ? this.pending.length : 0
    const buf = this.pending ? Buffer.concat([this.pending, chunk.subarray(at)]) : at === 0 ? chunk : chunk.subarray(at)
    const end = buf.indexOf('\r\n\r\n', Math.max(0, before - 3))
    if (end < 0 ? buf.length > MAX_HEAD_BYTES : end > MAX_HEAD_BYTES) {
      this.fail(httpError(`response headers over ${MAX_HEAD_BYTES} bytes`, 'HPE_HEADER_OVERFLOW'))
      return -1
    }
    if (end < 0) {
      this.pending = Buffer.from(buf) // a copy: the socket's chunk is not ours to keep whole
      return -1
    }
    this.pending = null
    const next = at + (end + 4 - before)
    const parsed = parseHead(buf.toString('latin1', 0, end))
    if (typeof parsed === 'string') {
      this.fail(httpError(parsed, 'HPE_INVALID_RESPONSE'))
      return chunk.length
    }
    const { status, headers, mode, length, keepAlive, idleHintMs } = parsed
    if (status === 101) {
      this.fail(httpError('a 101 Switching Protocols, which no request asked for', 'HPE_INVALID_RESPONSE'))
      return chunk.length
    }
    // An interim response (100 Continue, 103 Early Hints): the real one follows.
    if (status < 200) return next
    if (!keepAlive || mode === 'close') this.reusable = false
    if (idleHintMs !== null) this.idleLimitMs = Math.max(0, idleHintMs - IDLE_MARGIN_MS)
    const ex = this.exchange as Exchange
    ex.headSeen = true
    ex.handlers.head(status, headers)
    if (this.exchange !== ex || ex.settled) return chunk.length // destroyed by the receiver
    if (mode === 'none' || (mode === 'length' && length === 0)) this.complete(chunk.length - next)
    else if (mode === 'length') {
      this.remaining = length
      this.state = 'length'
    } else this.state = mode === 'chunked' ? 'chunkSize' : 'close'
    return next
  }

  /** A CRLF-terminated line (chunk size, chunk end, trailer), possibly split across reads. */
  line(chunk: Buffer, at: number): { text: string; next: number } | null {
    const lf = chunk.indexOf(10, at)
    if (lf < 0) {
      const rest = chunk.subarray(at)
      this.pending = this.pending ? Buffer.concat([this.pending, rest]) : Buffer.from(rest)
      if (this.pending.length > MAX_LINE_BYTES) this.fail(httpError(`a line over ${MAX_LINE_BYTES} bytes in a chunked body`, 'HPE_HEADER_OVERFLOW'))
      return null
    }
    const piece = chunk.subarray(at, lf)
    const whole = this.pending ? Buffer.concat([this.pending, piece]) : piece
    this.pending = null
    if (whole.length === 0 || whole[whole.length - 1] !== 13) {
      this.fail(httpError('a bare LF in a chunked body', 'HPE_STRICT'))
      return null
    }
    return { text: whole.toString('latin1', 0, whole.length - 1), next: lf + 1 }
  }

  /** The message is complete; `extra` bytes followed it in the same read. */
  complete(extra: number): void {
    const ex = this.exchange as Exchange
    this.exchange = null
    this.state = 'idle'
    ex.connection = null
    ex.settled = true
    // Bytes after the message (no request asked for them): the connection is not reused.
    if (extra > 0) this.reusable = false
    ex.handlers.end()
    this.release()
  }

  release(): void {
    if (this.closed) return
    if (!this.reusable) return this.close()
    const waiting = this.pool.waiting.shift()
    if (waiting) return waiting(this)
    this.idleSince = Date.now()
    this.socket.unref()
    this.pool.idle.push(this)
  }

  ended(): void {
    const ex = this.exchange
    // A body delimited by the connection's close ends here.
    if (ex && this.state === 'close') {
      this.reusable = false
      return this.complete(0)
    }
    if (ex) this.fail(httpError('socket hang up', 'ECONNRESET'))
    this.close()
  }

  fail(err: NodeJS.ErrnoException): void {
    const ex = this.exchange
    this.exchange = null
    this.state = 'idle'
    this.reusable = false
    this.close()
    if (ex) {
      ex.connection = null
      ex.fail(err)
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.socket.destroy()
  }

  gone(): void {
    this.closed = true
    if (this.exchange) this.fail(httpError('socket hang up', 'ECONNRESET'))
    const i = this.pool.idle.indexOf(this)
    if (i >= 0) this.pool.idle.splice(i, 1)
    this.pool.open -= 1
    // A waiting call gets a new connection in this one's place.
    const waiting = this.pool.waiting.shift()
    if (waiting) waiting(new Connection(this.pool))
  }

}

type ParsedHead = { status: number; headers: Http1Headers; mode: BodyMode; length: number; keepAlive: boolean; idleHintMs: number | null }

/** Headers Node keeps once (the first wins), as IncomingMessage does; set-cookie is a list; others are joined. */
const SINGLE = new Set(['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires'])

/** The head without its final CRLFCRLF; a string says what is wrong with it. */
export function parseHead(text: string): ParsedHead | string {
  const lines = text.split('\r\n')
  const statusLine = lines[0] as string
  const m = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/.exec(statusLine)
  if (!m) return `an invalid status line '${statusLine.slice(0, 80)}'`
  const http10 = m[1] === '0'
  const status = Number(m[2])
  const headers: Http1Headers = {}
  let lengths: string | null = null
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i] as string
    const colon = l.indexOf(':')
    if (colon <= 0) return `an invalid header line '${l.slice(0, 80)}'`
    const name = l.slice(0, colon)
    if (!TOKEN.test(name)) return `an invalid header name '${name.slice(0, 80)}'`
    const key = name.toLowerCase()
    const value = l.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
    if (key === 'content-length') {
      // Repeated lengths must agree (RFC 9112 §6.3); they are kept once.
      if (lengths !== null && lengths !== value) return 'conflicting Content-Length headers'
      lengths = value
    }
    const had = headers[key]
    if (had === undefined) headers[key] = key === 'set-cookie' ? [value] : value
    else if (Array.isArray(had)) had.push(value)
    else if (!SINGLE.has(key)) headers[key] = `${had}, ${value}`
  }
  const connection = String(headers.connection ?? '').toLowerCase()
  const keepAlive = http10 ? /\bkeep-alive\b/.test(connection) : !/\bclose\b/.test(connection)
  const hint = /\btimeout=(\d+)/.exec(String(headers['keep-alive'] ?? ''))
  const idleHintMs = hint ? Number(hint[1]) * 1000 : null
  const te = headers['transfer-encoding']
  let mode: BodyMode
  let length = 0
  if (status < 200 || status === 204 || status === 304) mode = 'none'
  else if (te !== undefined) {
    // The last coding decides; anything but chunked runs to the close (RFC 9112 §6.3). A length beside it is ignored.
    mode = /(?:^|,)\s*chunked\s*$/i.test(String(te)) ? 'chunked' : 'close'
    if (lengths !== null) return 'both Transfer-Encoding and Content-Length'
  } else if (lengths !== null) {
    if (!/^\d{1,15}$/.test(lengths)) return `an invalid Content-Length '${lengths.slice(0, 40)}'`
    mode = 'length'
    length = Number(lengths)
  } else mode = 'close'
  return { status, headers, mode, length, keepAlive, idleHintMs }
}

/** A chunk-size line (extensions after ';' ignored), or -1. */
function chunkSize(line: string): number {
  const semi = line.indexOf(';')
  const hex = (semi < 0 ? line : line.slice(0, semi)).replace(/[ \t]+$/, '')
  if (!/^[0-9A-Fa-f]{1,12}$/.test(hex)) return -1
  return parseInt(hex, 16)
}
