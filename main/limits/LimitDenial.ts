/**
 * Why a call was refused by a limit, as data: which limit, where, how much is used, and when it
 * frees up. Each dialect renders it its own way (OpenAI's error body, Anthropic's, headers).
 * Pure types and one pure describer.
 */
import type { LimitScopeKind } from '../../preload/contract.ts'

export type LimitDenial = {
  kind: 'budget' | 'rate' | 'concurrency' | 'price_unknown'
  scope: { kind: LimitScopeKind; id: string; label: string }
  unit: 'usd' | 'tokens' | 'requests' | 'calls'
  /** usd: micro-USD; tokens; requests per window; calls in flight. */
  limit: number
  used: number
  reserved: number
  /** What this call needed (its estimate). */
  requested: number
  /** 'monthly', 'weekly', '7-day', 'total' for budgets; 'minute' | 'hour' | 'day' for rates. */
  period: string
  /** Epoch ms: a budget's reset, or when a rate limit lets this call through. null: never by itself. */
  resetAt: number | null
  /** For 429s: how long to wait; null when waiting does not help. */
  retryAfterMs: number | null
}

/** Micro-USD as dollars with every significant digit (at least cents): $5.00, $4.999, $0.0005. */
const usd = (micros: number) => {
  const [whole, frac = ''] = (Math.round(micros) / 1_000_000).toFixed(6).split('.')
  return `$${whole}.${frac.replace(/0+$/, '').padEnd(2, '0')}`
}

export function formatAmount(unit: LimitDenial['unit'], n: number): string {
  if (unit === 'usd') return usd(n)
  return `${Math.round(n).toLocaleString('en-US')} ${unit}`
}

function when(resetAt: number | null, now: number): string {
  if (resetAt === null || !Number.isFinite(resetAt)) return 'it does not reset by itself: raise or remove it'
  const s = Math.max(1, Math.ceil((resetAt - now) / 1000))
  const rel = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172_800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86_400)} days`
  return `resets at ${new Date(resetAt).toISOString()} (in ${rel})`
}

/** The sentence a person reads: which limit, the spend, and when it resets. */
export function describeDenial(d: LimitDenial, now: number): string {
  const where = d.scope.label
  switch (d.kind) {
    case 'price_unknown':
      return `${where} has a USD budget, but this model has no known price, so its cost cannot be capped: set a price for it (customModels:upsert or pricing:setIntegration) or use a token budget`
    case 'concurrency':
      return `concurrency limit of ${where} reached: ${d.used} of ${d.limit} calls in flight; retry when one finishes`
    case 'rate': {
      const what = `${formatAmount(d.unit, d.limit)} per ${d.period}`
      if (d.retryAfterMs === null) {
        return `rate limit of ${where} (${what}): this call alone needs ~${formatAmount(d.unit, d.requested)}, more than the limit allows`
      }
      return `rate limit of ${where} reached: ${formatAmount(d.unit, d.used)} of ${what} used; retry in ${Math.ceil(d.retryAfterMs / 1000)} s`
    }
    case 'budget': {
      const cap = `${d.period} ${d.unit === 'usd' ? 'USD' : 'token'} budget of ${where}`
      if (d.used >= d.limit) {
        return `${cap} is exhausted: spent ${formatAmount(d.unit, d.used)} of ${formatAmount(d.unit, d.limit)}; ${when(d.resetAt, now)}`
      }
      const left = Math.max(0, d.limit - d.used - d.reserved)
      return `${cap} cannot cover this call: spent ${formatAmount(d.unit, d.used)} of ${formatAmount(d.unit, d.limit)}` +
        (d.reserved > 0 ? `, ${formatAmount(d.unit, d.reserved)} held by calls in flight` : '') +
        `, ${formatAmount(d.unit, left)} left, this call may need up to ${formatAmount(d.unit, d.requested)}; ${when(d.resetAt, now)}`
    }
  }
}
