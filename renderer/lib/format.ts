/**
 * Display formatting for the views: money from integer micro-USD, token counts, latencies, times.
 * Pure: no I/O; the clock and time zone come in as arguments where they matter.
 */

const DASH = '—'
const MICROS_PER_USD = 1_000_000
/** Shared: `toLocaleString` builds a formatter on every call. */
const integers = new Intl.NumberFormat('en-US')

/** How many decimals a dollar amount needs to stay informative: cents for big sums, more for tiny ones. */
function usdDecimals(absMicros: number): number {
  if (absMicros >= MICROS_PER_USD) return 2
  if (absMicros >= 10_000) return 4
  return 6
}

/** `costMicros` (integer micro-USD) as dollars, with integer arithmetic: 1234567 → "$1.23". */
function usd(costMicros: number | null | undefined): string {
  if (costMicros === null || costMicros === undefined) return DASH
  if (costMicros === 0) return '$0.00'
  const sign = costMicros < 0 ? '-' : ''
  const abs = Math.abs(Math.trunc(costMicros))
  const decimals = usdDecimals(abs)
  const step = 10 ** (6 - decimals)
  const scaled = Math.round(abs / step) // whole units of 10^-decimals dollars
  const unit = 10 ** decimals
  const dollars = Math.floor(scaled / unit)
  // Keep cents; drop zeros beyond them ($0.4000 → $0.40, $0.0750 → $0.075).
  const fraction = String(scaled % unit).padStart(decimals, '0').replace(/(\d{2}\d*?)0+$/, '$1')
  return `${sign}$${integers.format(dollars)}.${fraction}`
}

/** Price per million tokens, given in micro-USD per million tokens. */
function pricePerMTok(micros: number | null): string {
  return micros === null ? DASH : `${usd(micros)} / MTok`
}

function tokens(count: number | null | undefined): string {
  if (count === null || count === undefined) return DASH
  return integers.format(count)
}

/** Compact token counts for summary cards: 1234 → "1.2k", 3400000 → "3.4M". */
function tokensCompact(count: number): string {
  if (count < 1_000) return String(count)
  if (count < 1_000_000) return `${trimZero((count / 1_000).toFixed(1))}k`
  return `${trimZero((count / 1_000_000).toFixed(1))}M`
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s
}

function latency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH
  if (ms < 1_000) return `${Math.round(ms)} ms`
  return `${(ms / 1_000).toFixed(2)} s`
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (the log list formats ~40 per frame). */
const dateTimeFormats = new Map<string | undefined, Intl.DateTimeFormat>()

/** Absolute local time, second precision, e.g. "2026-11-23 14:05:09". */
function dateTime(epochMs: number, timeZone?: string): string {
  let dtf = dateTimeFormats.get(timeZone)
  if (!dtf) {
    dtf = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    dateTimeFormats.set(timeZone, dtf)
  }
  const parts = dtf.formatToParts(new Date(epochMs))
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`
}

/** Relative time for "last used" columns: "just now", "5 min ago", "3 h ago", "2 d ago". */
function ago(epochMs: number | null, now: number): string {
  if (epochMs === null) return 'never'
  const seconds = Math.max(0, Math.round((now - epochMs) / 1_000))
  if (seconds < 45) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.round(hours / 24)} d ago`
}

/** The write-only secret's only visible trace: its last four characters. */
function credentialHint(hint: string | null): string {
  return hint === null ? 'no key' : `••••${hint}`
}

export const format = {
  usd,
  pricePerMTok,
  tokens,
  tokensCompact,
  latency,
  dateTime,
  ago,
  credentialHint,
}
