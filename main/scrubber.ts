/**
 * The one scrubber. Every byte that leaves toward a client (JSON and SSE, passthrough and translated),
 * a log line or a database column passes through it. It knows every secret:
 *   - vault secrets and the credentials derived from them, registered for the life of the process
 *     (`redact`);
 *   - bring-your-own keys (an `Authorization` sent with a custom host, `api_key` in an inline or saved
 *     config): whatever credential a route sends upstream is read off the route's headers
 *     (`scrubberFor`), and also kept in a small recent set so a log line about that request is clean.
 * Streams are scrubbed chunk by chunk; a secret split across two chunks is caught because the end of a
 * chunk that could begin a secret is held back until the next one.
 */
const MIN_SECRET = 8
const MASK = '[redacted]'
const MASK_BYTES = Buffer.from(MASK)
const EMPTY = Buffer.alloc(0)

/** Secrets for the life of the process (vault keys, admin token, cloud credentials). */
const permanent = new Map<string, Buffer>()
/** Bring-your-own keys of recent requests, oldest first; bounded so a stream of distinct keys cannot grow it. */
const recent = new Map<string, Buffer>()
const RECENT_MAX = 256

/** Registers a secret value for the life of the process. Short values are ignored (too noisy to mask). */
export function redact(value: string): void {
  if (value.length >= MIN_SECRET && !permanent.has(value)) permanent.set(value, Buffer.from(value))
}

/** Registers a request's own key (bring-your-own); kept among the most recent few hundred. */
export function redactRecent(value: string): void {
  // Already the newest: nothing to reorder. One caller's key arrives on every request, and a Map that
  // an entry leaves and joins each time rehashes every few requests (see watchTimeout.ts on what such
  // churn costs the young generation).
  if (value.length < MIN_SECRET || value === newest || permanent.has(value)) return
  const b = recent.get(value) ?? Buffer.from(value)
  recent.delete(value)
  recent.set(value, b)
  newest = value
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value as string)
}
let newest = ''

/** Masks every known secret in a text (log lines, error messages, columns). */
export function scrub(text: string): string {
  return scrubWith(text, null)
}

function scrubWith(text: string, extra: readonly string[] | null): string {
  let out = text
  for (const s of permanent.keys()) if (out.includes(s)) out = out.split(s).join(MASK)
  for (const s of recent.keys()) if (out.includes(s)) out = out.split(s).join(MASK)
  if (extra) for (const s of extra) if (out.includes(s)) out = out.split(s).join(MASK)
  return out
}

/** Headers that carry a credential upstream; their values are the request's secrets. */
const credentialHeaders = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']

/** The credentials in a set of outgoing headers, without their scheme (`Bearer `). */
export function credentialsIn(headers: Record<string, string> | undefined): string[] {
  const out: string[] = []
  if (!headers) return out
  for (const name of credentialHeaders) {
    const v = headers[name]
    if (!v) continue
    const token = v.replace(/^(Bearer|Basic)\s+/i, '').trim()
    if (token.length >= MIN_SECRET) out.push(token)
  }
  return out
}

export type ChunkScrubber = {
  /** What may go out for this chunk now (a possible start of a secret at its end is held back). */
  push(chunk: Buffer): Buffer
  /** What is still held back, at the end of the stream. */
  end(): Buffer
}

export type Scrubber = {
  text(s: string): string
  buffer(b: Buffer): Buffer
  stream(): ChunkScrubber
}

/**
 * The scrubber for one request: every process secret plus the credentials its route sends upstream
 * (which also join the recent set, for log lines about this request).
 */
export function scrubberFor(headers: Record<string, string> | undefined): Scrubber {
  const own = credentialsIn(headers)
  for (const s of own) redactRecent(s)
  const extra = own.length ? own : null
  return {
    text: (s) => scrubWith(s, extra),
    buffer: (b) => scrubBuffer(b, secretBuffers(own)),
    stream: () => createChunkScrubber(secretBuffers(own)),
  }
}

/** The process secrets and this request's own: not the recent set, which would cost every chunk hundreds of scans. */
function secretBuffers(own: readonly string[]): Buffer[] {
  const out = [...permanent.values()]
  for (const s of own) if (!permanent.has(s)) out.push(Buffer.from(s))
  return out
}

/** Replaces every occurrence of every secret; returns the same buffer when there is none (the usual case). */
export function scrubBuffer(b: Buffer, secrets: readonly Buffer[]): Buffer {
  let out = b
  for (const s of secrets) {
    let at = out.indexOf(s)
    if (at < 0) continue
    const parts: Buffer[] = []
    let from = 0
    while (at >= 0) {
      parts.push(out.subarray(from, at), MASK_BYTES)
      from = at + s.length
      at = out.indexOf(s, from)
    }
    parts.push(out.subarray(from))
    out = Buffer.concat(parts)
  }
  return out
}

/** Length of the longest end of `b` that is the beginning of some secret (and not the whole of it). */
function heldTail(b: Buffer, secrets: readonly Buffer[]): number {
  let keep = 0
  for (const s of secrets) {
    const first = s[0] as number
    let p = b.indexOf(first, Math.max(0, b.length - (s.length - 1)))
    while (p >= 0) {
      const k = b.length - p
      if (k > keep && b.compare(s, 0, k, p) === 0) {
        keep = k
        break // later starts are shorter
      }
      p = b.indexOf(first, p + 1)
    }
  }
  return keep
}

export function createChunkScrubber(secrets: readonly Buffer[]): ChunkScrubber {
  let held: Buffer = EMPTY
  return {
    push(chunk) {
      if (secrets.length === 0) return chunk
      const joined = held.length ? Buffer.concat([held, chunk]) : chunk
      const clean = scrubBuffer(joined, secrets)
      const keep = heldTail(clean, secrets)
      held = keep ? Buffer.from(clean.subarray(clean.length - keep)) : EMPTY
      return keep ? clean.subarray(0, clean.length - keep) : clean
    },
    end() {
      const rest = held
      held = EMPTY
      return rest
    },
  }
}
