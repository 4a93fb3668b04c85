/** Budget periods reset at local midnight in the user's zone, across daylight-saving changes. Table-driven, fixed instants. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { periodWindow, type BudgetPeriod } from '../../main/limits/budgetPeriod.ts'
import { startOfDay } from '../../main/limits/zonedTime.ts'

const t = (iso: string) => Date.parse(iso)
const H = 3_600_000

type Case = [name: string, period: BudgetPeriod, at: string, zone: string, startsAt: string, start: string, end: string | null, hours?: number]

const cases: Case[] = [
  ['weekly: Monday 00:00 local, a normal week is 168 h', { kind: 'weekly' }, '2026-03-11T12:00:00Z', 'America/New_York', '2026-01-01T00:00:00Z', '2026-03-09T04:00:00Z', '2026-03-16T04:00:00Z', 168],
  ['weekly: the week DST starts (US, 8 March) is 167 h', { kind: 'weekly' }, '2026-03-08T12:00:00Z', 'America/New_York', '2026-01-01T00:00:00Z', '2026-03-02T05:00:00Z', '2026-03-09T04:00:00Z', 167],
  ['weekly: Sunday 23:59:59 is still the old week', { kind: 'weekly' }, '2026-11-29T23:59:59Z', 'UTC', '2026-01-01T00:00:00Z', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
  ['weekly: Monday 00:00 is the new week', { kind: 'weekly' }, '2026-11-30T00:00:00Z', 'UTC', '2026-01-01T00:00:00Z', '2026-11-30T00:00:00Z', '2026-12-07T00:00:00Z'],
  ['weekly: local Monday while UTC is still Sunday (Tokyo)', { kind: 'weekly' }, '2026-11-29T16:00:00Z', 'Asia/Tokyo', '2026-01-01T00:00:00Z', '2026-11-29T15:00:00Z', '2026-12-06T15:00:00Z'],
  ['monthly: March in New York has 743 h (spring forward)', { kind: 'monthly' }, '2026-03-10T12:00:00Z', 'America/New_York', '2026-01-01T00:00:00Z', '2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z', 743],
  ['monthly: November in New York has 721 h (fall back)', { kind: 'monthly' }, '2026-11-10T12:00:00Z', 'America/New_York', '2026-01-01T00:00:00Z', '2026-11-01T04:00:00Z', '2026-12-01T05:00:00Z', 721],
  ['monthly: December rolls into next year', { kind: 'monthly' }, '2026-12-31T22:59:59Z', 'Europe/Berlin', '2026-01-01T00:00:00Z', '2026-11-30T23:00:00Z', '2026-12-31T23:00:00Z'],
  ['monthly: 1 Jan 00:00 Berlin is already January', { kind: 'monthly' }, '2026-12-31T23:00:00Z', 'Europe/Berlin', '2026-01-01T00:00:00Z', '2026-12-31T23:00:00Z', '2027-01-31T23:00:00Z'],
  ['monthly: Kathmandu (+5:45)', { kind: 'monthly' }, '2026-01-15T00:00:00Z', 'Asia/Kathmandu', '2026-01-01T00:00:00Z', '2025-12-31T18:15:00Z', '2026-01-31T18:15:00Z'],
  ['1 day: the fall-back day in Berlin lasts 25 h', { kind: 'days', days: 1 }, '2026-10-25T12:00:00Z', 'Europe/Berlin', '2026-10-01T10:00:00Z', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 25],
  ['3 days counted from the start date, across fall-back: 73 h', { kind: 'days', days: 3 }, '2026-10-25T12:00:00Z', 'Europe/Berlin', '2026-10-01T10:00:00Z', '2026-10-24T22:00:00Z', '2026-10-27T23:00:00Z', 73],
  ['7 days from a Wednesday start, not calendar weeks', { kind: 'days', days: 7 }, '2026-11-23T12:00:00Z', 'UTC', '2026-11-18T15:00:00Z', '2026-11-18T00:00:00Z', '2026-11-25T00:00:00Z'],
  ['30 days: the second period', { kind: 'days', days: 30 }, '2026-02-05T00:00:00Z', 'UTC', '2026-01-01T08:00:00Z', '2026-01-31T00:00:00Z', '2026-03-02T00:00:00Z'],
  ['none: from the start, never resets', { kind: 'none' }, '2030-01-01T00:00:00Z', 'UTC', '2026-11-01T08:30:00Z', '2026-11-01T08:30:00Z', null],
]

for (const [name, period, at, zone, startsAt, start, end, hours] of cases) {
  test(name, () => {
    const w = periodWindow(period, t(at), zone, t(startsAt))
    assert.equal(new Date(w.start).toISOString(), new Date(t(start)).toISOString())
    if (end === null) assert.equal(w.end, Number.POSITIVE_INFINITY)
    else assert.equal(new Date(w.end).toISOString(), new Date(t(end)).toISOString())
    if (hours !== undefined) assert.equal((w.end - w.start) / H, hours)
    assert.ok(w.start <= t(at) && t(at) < w.end)
  })
}

const midnights: Array<[string, string, { year: number; month: number; day: number }, string]> = [
  ['a skipped midnight (Beirut, DST at 00:00) starts at the jump', 'Asia/Beirut', { year: 2026, month: 3, day: 29 }, '2026-03-28T22:00:00Z'],
  ['a skipped midnight (Sao Paulo 2018) starts at 01:00 -02', 'America/Sao_Paulo', { year: 2018, month: 11, day: 4 }, '2018-11-04T03:00:00Z'],
  ['a repeated midnight (Havana fall-back at 01:00 → 00:00) takes the first', 'America/Havana', { year: 2026, month: 11, day: 1 }, '2026-11-01T04:00:00Z'],
  ['half-hour DST zone (Lord Howe, +10:30)', 'Australia/Lord_Howe', { year: 2026, month: 10, day: 4 }, '2026-10-03T13:30:00Z'],
]
for (const [name, zone, d, expected] of midnights) {
  test(`start of day: ${name}`, () => assert.equal(new Date(startOfDay(d, zone)).toISOString(), new Date(t(expected)).toISOString()))
}

test('consecutive periods tile time with no gap and no overlap (a year of weeks in New York)', () => {
  let at = t('2026-01-01T00:00:00Z')
  let prevEnd: number | null = null
  for (let i = 0; i < 53; i++) {
    const w = periodWindow({ kind: 'weekly' }, at, 'America/New_York', 0)
    if (prevEnd !== null) assert.equal(w.start, prevEnd)
    prevEnd = w.end
    at = w.end
  }
})
