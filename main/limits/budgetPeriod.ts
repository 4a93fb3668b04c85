/**
 * Which budget period an instant falls into: none (one period for all time since the budget's
 * start), weekly (Monday 00:00 local), monthly (the 1st, 00:00 local) or every N days from the
 * budget's start date (local midnights). Pure: no clock, the instant and the zone are arguments.
 */
import { dayNumber, fromDayNumber, localDate, startOfDay, weekday } from './zonedTime.ts'

export type BudgetPeriod = { kind: 'none' } | { kind: 'weekly' } | { kind: 'monthly' } | { kind: 'days'; days: number }

export type PeriodWindow = {
  /** Epoch ms, inclusive. */
  start: number
  /** Epoch ms, exclusive: when the budget resets. `Infinity` for `none`. */
  end: number
}

export function periodWindow(period: BudgetPeriod, at: number, timeZone: string, startsAt: number): PeriodWindow {
  switch (period.kind) {
    case 'none':
      return { start: startsAt, end: Number.POSITIVE_INFINITY }
    case 'weekly': {
      const today = dayNumber(localDate(at, timeZone))
      const monday = today - (weekday(fromDayNumber(today)) - 1)
      return { start: startOfDay(fromDayNumber(monday), timeZone), end: startOfDay(fromDayNumber(monday + 7), timeZone) }
    }
    case 'monthly': {
      const d = localDate(at, timeZone)
      const next = d.month === 12 ? { year: d.year + 1, month: 1, day: 1 } : { year: d.year, month: d.month + 1, day: 1 }
      return { start: startOfDay({ year: d.year, month: d.month, day: 1 }, timeZone), end: startOfDay(next, timeZone) }
    }
    case 'days': {
      const anchor = dayNumber(localDate(startsAt, timeZone))
      const today = dayNumber(localDate(at, timeZone))
      const k = Math.floor((today - anchor) / period.days)
      const first = anchor + k * period.days
      return {
        start: startOfDay(fromDayNumber(first), timeZone),
        end: startOfDay(fromDayNumber(first + period.days), timeZone),
      }
    }
  }
}

export function describePeriod(period: BudgetPeriod): string {
  switch (period.kind) {
    case 'none':
      return 'total'
    case 'weekly':
      return 'weekly'
    case 'monthly':
      return 'monthly'
    case 'days':
      return period.days === 1 ? 'daily' : `${period.days}-day`
  }
}
