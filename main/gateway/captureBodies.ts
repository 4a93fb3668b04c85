/**
 * Body capture (Settings → body capture, off by default): keeps a call's request, as sent upstream
 * (after guardrail redaction), and its response, as the client received it (one JSON document or the
 * SSE text), for the Logs drawer. The pipeline starts it only when the routing snapshot says capture is
 * on, so a call pays nothing otherwise. While the answer goes out, the bytes written to the client are
 * only collected (up to a cap); cleaning and storing happen later in the bodies queue
 * (store/bodiesRepo.ts), never on the response path. Every stored byte passes the one scrubber (the
 * process secrets and the route's own upstream credentials, as streamBack uses it) and the guardrails'
 * secret detectors in redact mode, so keys, PEM blocks and tokens a user pasted are masked too.
 */
import type { GatewayResponse } from './types.ts'
import { detectorLabel, scanText, secretDetectors } from '../guardrails/detectors.ts'
import { createRedactor } from '../guardrails/guardrails.ts'
import { scrubberFor, type Scrubber } from '../scrubber.ts'
import type { BodiesRepo } from '../store/bodiesRepo.ts'
import { wireBody } from './wireBody.ts'

/** Each side is kept up to this many bytes, then marked truncated. */
export const MAX_CAPTURED_BODY = 256 * 1024
/** Collected past the cap so that a secret straddling it is still whole when redacted (a 4096-bit PEM key is ~3.3 KB). */
const MARGIN = 16 * 1024

export type BodyCaptureRun = { keep(row: { traceId: string; createdAt: number }): void }

const secrets = new Set(secretDetectors)

/**
 * Starts capturing one call: `request` is the outgoing body, `headers` the route's (whose credentials the
 * scrubber masks). Watches `res` for the answer's bytes. `keep` queues the bodies for the usage row.
 */
export function captureBodies(res: GatewayResponse, request: object, headers: Record<string, string>, repo: BodiesRepo): BodyCaptureRun {
  const chunks: Buffer[] = []
  let size = 0
  let over = false
  const take = (chunk: unknown) => {
    if (over || chunk === undefined || chunk === null || typeof chunk === 'function') return
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : null
    if (!b || b.length === 0) return
    const room = MAX_CAPTURED_BODY + MARGIN - size
    if (b.length > room) over = true
    const kept = b.length > room ? b.subarray(0, room) : b
    chunks.push(kept)
    size += kept.length
  }
  const write = res.write
  const end = res.end
  // Only this response object is patched, and only while capture is on.
  res.write = function (this: GatewayResponse, chunk: unknown, ...rest: unknown[]) {
    take(chunk)
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
  } as typeof res.write
  res.end = function (this: GatewayResponse, chunk?: unknown, ...rest: unknown[]) {
    take(chunk)
    return (end as (...a: unknown[]) => GatewayResponse).call(this, chunk, ...rest)
  } as typeof res.end

  return {
    keep(row) {
      repo.enqueue(() => {
        const scrubber = scrubberFor(headers)
        const req = clean(wireBody(request), false, scrubber)
        const out = clean(Buffer.concat(chunks), over, scrubber)
        return { traceId: row.traceId, createdAt: row.createdAt, request: req.text, response: chunks.length ? out.text : null, requestTruncated: req.truncated, responseTruncated: out.truncated }
      })
    },
  }
}

/** Scrubbed, secrets redacted, then cut to the cap (a cut after redaction can never expose part of a secret). */
export function clean(raw: Buffer, cut: boolean, scrubber: Scrubber): { text: string; truncated: boolean } {
  const head = raw.length > MAX_CAPTURED_BODY + MARGIN ? raw.subarray(0, MAX_CAPTURED_BODY + MARGIN) : raw
  let text = redactSecrets(scrubber.text(head.toString('utf8')))
  let truncated = cut || head.length < raw.length
  if (Buffer.byteLength(text) > MAX_CAPTURED_BODY) {
    text = Buffer.from(text).subarray(0, MAX_CAPTURED_BODY).toString('utf8')
    truncated = true
  }
  return { text, truncated }
}

/** The guardrails' secret detectors, in redact mode: each finding becomes `[REDACTED_<LABEL>_<n>]`. */
export function redactSecrets(text: string): string {
  const found = scanText(text, secrets)
  if (found.length === 0) return text
  const redactor = createRedactor()
  let out = ''
  let at = 0
  for (const f of found) {
    out += text.slice(at, f.start) + redactor.placeholder(detectorLabel[f.detector], text.slice(f.start, f.end))
    at = f.end
  }
  return out + text.slice(at)
}
