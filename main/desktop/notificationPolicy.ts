/**
 * When the desktop app raises a native notification, what it says, and which view it opens. Pure and
 * clock-injected: the shell feeds it Control service events (budget:thresholdCrossed,
 * target:circuitChanged, usage:recorded) and expiring-key checks, and shows what comes back.
 *
 * Throttling: the same subject (a budget, a target, a key) at most once per `perSubjectMs`, except
 * that an exhausted budget is always said once per period; and at most `burst` notifications per
 * minute overall, so a failing provider under load cannot flood the desktop.
 */
import type { BudgetAlert, Events, LimitScopeKind } from '../../preload/contract.ts'
import { formatUsd } from './money.ts'

export type NotificationInput =
  | { kind: 'budget'; alert: BudgetAlert }
  | { kind: 'circuit'; change: Events['target:circuitChanged'] }
  /** A request fell back to another target (usage:recorded with a fallback), or a provider keeps failing. */
  | { kind: 'providerFailing'; provider: string; status: number }
  | { kind: 'keyExpiring'; key: { id: string; name: string; expiresAt: number } }

export type Notification = {
  /** The throttle subject, also the OS notification tag (a newer one replaces an older one). */
  tag: string
  title: string
  body: string
  /** The window view it opens when clicked (`/ui/#/<view>`). */
  view: 'usage' | 'configs' | 'keys' | 'providers' | 'status'
  /** Offered as a notification button. */
  topUp?: { scope: LimitScopeKind; id: string; label: string }
}

export type NotificationPolicyOptions = {
  now: () => number
  enabled: () => boolean
  topUpMicros: () => number
  perSubjectMs?: number
  burst?: number
  /** How far ahead an expiring key is announced. */
  keyWarningMs?: number
}

export const defaultThrottle = { perSubjectMs: 15 * 60_000, burst: 3, keyWarningMs: 3 * 86_400_000 }

export function createNotificationPolicy(opts: NotificationPolicyOptions) {
  const perSubjectMs = opts.perSubjectMs ?? defaultThrottle.perSubjectMs
  const burst = opts.burst ?? defaultThrottle.burst
  const keyWarningMs = opts.keyWarningMs ?? defaultThrottle.keyWarningMs
  const lastBySubject = new Map<string, number>()
  const exhaustedSaid = new Set<string>()
  const openTargets = new Set<string>()
  let recent: number[] = []

  function compose(input: NotificationInput, at: number): (Notification & { force?: boolean }) | null {
    switch (input.kind) {
      case 'budget': {
        const a = input.alert
        const money = (v: number) => (a.unit === 'usd' ? formatUsd(v) : `${v.toLocaleString('en-US')} tokens`)
        const exhausted = a.threshold >= 100
        const key = `${a.scope}:${a.id}:${a.periodStart}`
        const force = exhausted && !exhaustedSaid.has(key)
        if (exhausted) exhaustedSaid.add(key)
        const topUp = a.unit === 'usd' ? { topUp: { scope: a.scope, id: a.id, label: `+${formatUsd(opts.topUpMicros())} today` } } : {}
        return {
          tag: `budget:${a.scope}:${a.id}`,
          title: exhausted ? `Budget exhausted: ${a.label}` : `${a.label} at ${a.threshold}% of its budget`,
          body: `${money(a.spent)} of ${money(a.limit)} spent${a.resetAt ? `; resets ${new Date(a.resetAt).toLocaleString()}` : ''}.${exhausted ? ' Calls are refused until then.' : ''}`,
          view: 'usage',
          force,
          ...topUp,
        }
      }
      case 'circuit': {
        const c = input.change
        if (c.state === 'half_open') return null
        if (c.state === 'closed') {
          if (!openTargets.delete(c.target)) return null
          return { tag: `target:${c.target}`, title: 'Provider recovered', body: `${c.target} answers again; requests go to it as configured.`, view: 'configs', force: true }
        }
        openTargets.add(c.target)
        return { tag: `target:${c.target}`, title: 'Provider failing: fallback engaged', body: `${c.target} failed ${c.failures} times in a row; it is skipped for a while and requests fall back to the next target.`, view: 'configs' }
      }
      case 'providerFailing':
        return { tag: `provider:${input.provider}`, title: 'Provider failing', body: `${input.provider} answered ${input.status}. Check its status and your key.`, view: 'providers' }
      case 'keyExpiring': {
        const left = input.key.expiresAt - at
        if (left > keyWarningMs) return null
        const when = left <= 0 ? 'has expired' : left < 86_400_000 ? `expires in ${Math.max(1, Math.round(left / 3_600_000))} h` : `expires in ${Math.round(left / 86_400_000)} days`
        return { tag: `key:${input.key.id}`, title: `API key '${input.key.name}' ${when}`, body: 'Clients using it will be refused. Create a new key and switch them over.', view: 'keys' }
      }
    }
  }

  return {
    /** The notification to show now, or null (off, not worth saying, or throttled). */
    decide(input: NotificationInput): Notification | null {
      if (!opts.enabled()) return null
      const at = opts.now()
      const n = compose(input, at)
      if (!n) return null
      const { force, ...out } = n
      const last = lastBySubject.get(out.tag)
      if (!force && last !== undefined && at - last < perSubjectMs) return null
      recent = recent.filter((t) => at - t < 60_000)
      if (!force && recent.length >= burst) return null
      lastBySubject.set(out.tag, at)
      recent.push(at)
      return out
    },
  }
}
