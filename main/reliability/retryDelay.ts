/**
 * How long to wait before retrying an upstream call, and which statuses are worth retrying.
 * Exponential backoff with full jitter (a uniform wait in [0, min(max, base·2^(n-1)))), unless the
 * provider said when to come back (`retry-after-ms`, `x-ms-retry-after-ms`, `Retry-After` in seconds or
 * as an HTTP date): then exactly that, as Portkey's `use_retry_after_headers` does. A wait the server asks
 * for beyond the cap (60 s per wait and in total per request, Portkey's documented limit) means retrying
 * is pointless: the result is -1 and the caller returns the upstream error as it is.
 * Pure: the clock and the random source are arguments.
 */

/** Portkey's default retry codes (its docs list 529, Anthropic's `overloaded_error`, in the newer pages). */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504, 529]

/** Portkey caps the total retry wait of one request at 60 s, and refuses any single wait beyond that. */
export const MAX_RETRY_WAIT_MS = 60_000

export type RetryDelayOptions = {
  /** First backoff ceiling, ms (default 250). */
  baseMs?: number
  /** Largest backoff ceiling, ms (default 8000). Does not clamp a server-requested wait. */
  maxMs?: number
  /** `Retry-After` header: delta-seconds or an HTTP date. */
  retryAfter?: string | null
  /** `retry-after-ms` (or `x-ms-retry-after-ms`) header: milliseconds. Wins over `retryAfter`. */
  retryAfterMs?: string | null
  /** What this request has already waited across earlier retries, ms (default 0). */
  waitedMs?: number
  /** Cap on a single server-requested wait and on `waitedMs` + this wait, ms (default 60 000). */
  maxWaitMs?: number
  /** Epoch ms, for HTTP-date `Retry-After`. */
  now: number
  /** Uniform in [0, 1), like Math.random. */
  random: () => number
}

/**
 * The wait before retry number `attempt` (1-based), in whole ms; -1 when waiting is pointless (the server
 * asked for longer than the cap, or this wait would take the request's total past it).
 */
export function retryDelayMs(attempt: number, opts: RetryDelayOptions): number {
  const baseMs = opts.baseMs ?? 250
  const maxMs = opts.maxMs ?? 8000
  const maxWaitMs = opts.maxWaitMs ?? MAX_RETRY_WAIT_MS
  const waitedMs = opts.waitedMs ?? 0
  const asked = parseRetryAfter(opts.retryAfter ?? null, opts.retryAfterMs ?? null, opts.now)
  let delay: number
  if (asked !== null) {
    if (asked > maxWaitMs) return -1
    delay = asked
  } else {
    const n = Math.max(1, Math.floor(attempt))
    // 2 ** 1074 is Infinity, never NaN; min() keeps the ceiling finite.
    const ceiling = Math.min(maxMs, baseMs * 2 ** (n - 1))
    const r = Math.min(Math.max(opts.random(), 0), 1)
    delay = Math.floor(r * ceiling)
    if (delay >= ceiling && ceiling > 0) delay = ceiling - 1
  }
  if (waitedMs + delay > maxWaitMs) return -1
  return delay
}

/**
 * What the server asked for, in ms (never negative), or null when it said nothing usable.
 * `retry-after-ms` wins; `Retry-After` is delta-seconds (decimals tolerated) or an IMF/RFC 850/asctime
 * date (a date in the past means now).
 */
export function parseRetryAfter(retryAfter: string | null, retryAfterMs: string | null, now: number): number | null {
  if (retryAfterMs !== null) {
    const ms = parseNumber(retryAfterMs)
    if (ms !== null) return Math.ceil(ms)
  }
  if (retryAfter === null) return null
  const seconds = parseNumber(retryAfter)
  if (seconds !== null) return Math.ceil(seconds * 1000)
  const trimmed = retryAfter.trim()
  // Only something that looks like a date: Date.parse accepts bare numbers and odd fragments too.
  if (!/^[A-Za-z]{3,9},? /.test(trimmed)) return null
  // HTTP dates are always GMT; asctime form carries no zone and Date.parse would read it as local time.
  const at = Date.parse(/\b(GMT|UTC|Z)\b|[+-]\d{4}$/.test(trimmed) ? trimmed : `${trimmed} GMT`)
  if (!Number.isFinite(at)) return null
  return Math.max(0, Math.ceil(at - now))
}

/** A non-negative finite decimal, or null. */
function parseNumber(value: string): number | null {
  const t = value.trim()
  if (!/^\d+(\.\d+)?$/.test(t)) return null
  const n = Number(t)
  return Number.isFinite(n) ? n : null
}

/**
 * Whether a status is worth retrying: `onStatusCodes` when the config gives it (then only those, as in
 * Portkey, even when empty), otherwise the defaults.
 */
export function isRetriableStatus(status: number, onStatusCodes?: readonly number[] | null): boolean {
  return (onStatusCodes ?? DEFAULT_RETRY_STATUS_CODES).includes(status)
}
