/**
 * Civil dates and local midnights in an IANA time zone, with only `Intl` (no tz library). Pure: the
 * instant is always passed in. Used by budget periods, which reset at local midnight, so a "day"
 * here is a calendar day (23 or 25 hours across a daylight-saving change), never 24 × 3600 s.
 */

export type CivilDate = { year: number; month: number; day: number }

const DAY_MS = 86_400_000
const formats = new Map<string, Intl.DateTimeFormat>()

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formats.set(timeZone, f)
  }
  return f
}

/** The wall-clock reading at `at` in `timeZone`, as if it were UTC (epoch ms). */
function wallClock(at: number, timeZone: string): number {
  const parts = formatFor(timeZone).formatToParts(new Date(at))
  const n: Record<string, number> = {}
  for (const p of parts) if (p.type !== 'literal') n[p.type] = Number(p.value)
  return Date.UTC(n.year ?? 1970, (n.month ?? 1) - 1, n.day ?? 1, n.hour ?? 0, n.minute ?? 0, n.second ?? 0) + (at % 1000 + 1000) % 1000
}

/** UTC offset (ms) of `timeZone` at instant `at`. */
export function offsetAt(at: number, timeZone: string): number {
  return wallClock(at, timeZone) - at
}

export function localDate(at: number, timeZone: string): CivilDate {
  const d = new Date(wallClock(at, timeZone))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
export function dayNumber(d: CivilDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS)
}

export function fromDayNumber(n: number): CivilDate {
  const d = new Date(n * DAY_MS)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function weekday(d: CivilDate): number {
  return ((dayNumber(d) + 3) % 7 + 7) % 7 + 1
}

/**
 * The first instant of civil date `d` in `timeZone`: local 00:00, or, where a daylight-saving jump
 * skips midnight (e.g. America/Sao_Paulo in 2018), the first instant that exists after it. Where
 * midnight happens twice (a fall-back at 00:00), the earlier one.
 */
export function startOfDay(d: CivilDate, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day)
  const a = wall - offsetAt(wall, timeZone)
  const b = wall - offsetAt(a, timeZone)
  const valid = [a, b].filter((t) => wallClock(t, timeZone) === wall)
  if (valid.length > 0) return Math.min(...valid)
  // Midnight fell into a gap: the day starts at the transition, found by bisection (to the ms).
  let lo = Math.min(a, b) - 3 * 3_600_000
  let hi = Math.max(a, b) + 3 * 3_600_000
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (wallClock(mid, timeZone) >= wall) hi = mid
    else lo = mid
  }
  return hi
}

/** Checks an IANA zone name without throwing. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/**
 * `target` with a `timeZone` that is the system's, read on first access and then kept. Reading it
 * builds an Intl.DateTimeFormat: ~40 ms and ~8 MB of ICU locale data, which a gateway without
 * budgets never needs (only budget periods, top-ups and the settings screen read the zone).
 */
export function withSystemTimeZone<T extends object>(target: T): T & { timeZone: string } {
  const keep = (timeZone: string) => Object.defineProperty(target, 'timeZone', { value: timeZone, enumerable: true, writable: true, configurable: true })
  Object.defineProperty(target, 'timeZone', {
    get: () => {
      const timeZone = systemTimeZone()
      keep(timeZone)
      return timeZone
    },
    set: keep,
    enumerable: true,
    configurable: true,
  })
  return target as T & { timeZone: string }
}
