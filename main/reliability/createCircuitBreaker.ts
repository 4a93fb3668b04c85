/**
 * A circuit breaker per target (a provider slug, a custom host: whatever string the router uses).
 * Closed: calls pass and consecutive failures are counted; at `failureThreshold` the target opens and
 * is skipped for `coolDownMs`. Then it is half-open: one probe passes (`allow` returns true once); the
 * probe's success closes it, its failure re-opens it for another cool-down. A probe that never reports
 * (the client hung up) frees the slot again after a cool-down, so a target cannot stay skipped forever.
 * Reports that arrive while open came from calls admitted before it opened: failures are counted, a
 * success is ignored (only a probe decides). In memory only; a target that is closed with no failures
 * is forgotten, and at most `maxTargets` are kept (closed ones evicted first, oldest first).
 */

export type BreakerState = 'open' | 'half_open' | 'closed'

export type BreakerChange = { target: string; state: BreakerState; at: number; failures: number }

export type BreakerEntry = { target: string; state: BreakerState; failures: number; openedAt: number | null }

export type CircuitBreakerOptions = {
  /** Consecutive failures that open a target (default 5). */
  failureThreshold?: number
  /** How long an open target is skipped, ms (default 30 000). */
  coolDownMs?: number
  /** Targets remembered at once (default 1000). */
  maxTargets?: number
  now: () => number
  /** Every state change, for logs and events. */
  onChange?: (e: BreakerChange) => void
}

export type CircuitBreaker = {
  /** Whether a call to `target` may go now; in half-open, true once per probe. */
  allow(target: string): boolean
  success(target: string): void
  failure(target: string): void
  state(target: string): BreakerState
  snapshot(): BreakerEntry[]
}

type Entry = { state: BreakerState; failures: number; openedAt: number | null; probeAt: number | null }

export function createCircuitBreaker(opts: CircuitBreakerOptions): CircuitBreaker {
  const threshold = Math.max(1, opts.failureThreshold ?? 5)
  const coolDownMs = Math.max(0, opts.coolDownMs ?? 30_000)
  const maxTargets = Math.max(1, opts.maxTargets ?? 1000)
  const entries = new Map<string, Entry>()

  const emit = (target: string, e: Entry, at: number) => {
    opts.onChange?.({ target, state: e.state, at, failures: e.failures })
  }

  /** Open → half-open once the cool-down has passed. */
  const refresh = (target: string, e: Entry, now: number) => {
    if (e.state === 'open' && e.openedAt !== null && now - e.openedAt >= coolDownMs) {
      e.state = 'half_open'
      e.probeAt = null
      emit(target, e, now)
    }
  }

  const open = (target: string, e: Entry, now: number) => {
    e.state = 'open'
    e.openedAt = now
    e.probeAt = null
    emit(target, e, now)
  }

  const evictOne = () => {
    for (const [t, e] of entries) {
      if (e.state === 'closed') {
        entries.delete(t)
        return
      }
    }
    const oldest = entries.keys().next()
    if (!oldest.done) entries.delete(oldest.value)
  }

  return {
    allow(target) {
      const e = entries.get(target)
      if (!e) return true
      const now = opts.now()
      refresh(target, e, now)
      if (e.state === 'closed') return true
      if (e.state === 'open') return false
      if (e.probeAt !== null && now - e.probeAt < coolDownMs) return false
      e.probeAt = now
      return true
    },

    success(target) {
      const e = entries.get(target)
      if (!e) return
      const now = opts.now()
      refresh(target, e, now)
      if (e.state === 'open') return
      const wasClosed = e.state === 'closed'
      entries.delete(target)
      if (!wasClosed) opts.onChange?.({ target, state: 'closed', at: now, failures: 0 })
    },

    failure(target) {
      const now = opts.now()
      let e = entries.get(target)
      if (!e) {
        if (entries.size >= maxTargets) evictOne()
        e = { state: 'closed', failures: 0, openedAt: null, probeAt: null }
        entries.set(target, e)
      }
      refresh(target, e, now)
      e.failures++
      if (e.state === 'half_open' || (e.state === 'closed' && e.failures >= threshold)) open(target, e, now)
    },

    state(target) {
      const e = entries.get(target)
      if (!e) return 'closed'
      refresh(target, e, opts.now())
      return e.state
    },

    snapshot() {
      const now = opts.now()
      const out: BreakerEntry[] = []
      for (const [target, e] of entries) {
        refresh(target, e, now)
        out.push({ target, state: e.state, failures: e.failures, openedAt: e.openedAt })
      }
      return out
    },
  }
}
