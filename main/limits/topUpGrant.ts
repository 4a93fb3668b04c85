/**
 * The "+$5 today" top-up as data: a grant on a scope's USD budgets from now until the next local
 * midnight in the budget zone. Pure: the clock, zone and id come in as arguments.
 */
import type { BudgetGrant, LimitScopeKind } from '../../preload/contract.ts'
import { dayNumber, fromDayNumber, localDate, startOfDay } from './zonedTime.ts'

export const defaultTopUpMicros = 5_000_000

/** The first instant of the local day after the one `at` falls in. */
export function nextLocalMidnight(at: number, timeZone: string): number {
  return startOfDay(fromDayNumber(dayNumber(localDate(at, timeZone)) + 1), timeZone)
}

export function topUpGrant(a: { id: string; scope: LimitScopeKind; scopeId: string; amountMicros: number; at: number; timeZone: string; note?: string | null }): BudgetGrant {
  if (!Number.isSafeInteger(a.amountMicros) || a.amountMicros <= 0) throw new RangeError('a top-up must be a positive whole number of micro-USD')
  return {
    id: a.id,
    scope: a.scope,
    scopeId: a.scopeId,
    unit: 'usd',
    amountMicros: a.amountMicros,
    grantedAt: a.at,
    expiresAt: nextLocalMidnight(a.at, a.timeZone),
    note: a.note ?? null,
  }
}
