/**
 * An inactivity timeout for each request in flight (the body upload, the upstream call) without a
 * timer each. Arming a Node timer per request (and `ClientRequest.setTimeout`'s socket listeners) was
 * measured at several µs of a request's CPU; long timeouts (the default 60 s body and 10 min upstream
 * limits) are instead entries in one set that a single unref'd interval sweeps every second, so they
 * fire up to a second late. Short ones (tests, `x-portkey-request-timeout: 200`) keep a precise timer.
 */
export type Watch = {
  /** Activity: the timeout starts over (for a swept watch, from the next sweep). */
  touch(): void
  /** Done: the callback will not run. */
  clear(): void
}

/** At or above this, a timeout is swept rather than timed. */
const SWEPT_FROM_MS = 5000
const SWEEP_EVERY_MS = 1000

type Entry = { at: number; ms: number; touched: boolean; fire: () => void }
const swept = new Set<Entry>()
let sweeper: NodeJS.Timeout | null = null

function sweep(): void {
  const now = Date.now()
  for (const e of swept) {
    if (e.touched) {
      e.touched = false
      e.at = now + e.ms
    } else if (e.at <= now) {
      swept.delete(e)
      e.fire()
    }
  }
  if (swept.size === 0 && sweeper) {
    clearInterval(sweeper)
    sweeper = null
  }
}

export function watchTimeout(ms: number, fire: () => void): Watch {
  if (ms < SWEPT_FROM_MS) {
    const timer = setTimeout(fire, ms)
    timer.unref()
    return { touch: () => void timer.refresh(), clear: () => clearTimeout(timer) }
  }
  const e: Entry = { at: Date.now() + ms, ms, touched: false, fire }
  swept.add(e)
  if (!sweeper) {
    sweeper = setInterval(sweep, SWEEP_EVERY_MS)
    sweeper.unref()
  }
  return {
    touch: () => void (e.touched = true),
    clear: () => void swept.delete(e),
  }
}
