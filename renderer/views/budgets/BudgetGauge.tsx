/**
 * One live limit as a gauge: spent, held by calls in flight, what remains, when it resets, the alert
 * thresholds as ticks, and the blocked state with what clients get once it is hit.
 */
import type { LimitCounter } from '../../../preload/contract.ts'
import { format } from '../../lib/format.ts'
import { gaugeParts } from '../../stores/budgets.ts'

export function amount(unit: LimitCounter['unit'], n: number): string {
  return unit === 'usd' ? format.usd(n) : `${Math.round(n).toLocaleString('en-US')} ${unit}`
}

export function BudgetGauge({ counter, thresholds, onEdit }: { counter: LimitCounter; thresholds: number[]; onEdit?: () => void }) {
  const { spent, held, remaining } = gaugeParts(counter)
  const pct = Math.round(spent * 100)
  const tone = counter.exhausted ? 'danger' : pct >= 80 ? 'warn' : 'ok'
  const label = `${counter.label} ${counter.kind} ${counter.period}`
  return (
    <div className={`card gauge gauge-${tone}`} role="group" aria-label={`${label} gauge`}>
      <div className="gauge-head">
        <div>
          <div className="gauge-title">
            <strong>{counter.label}</strong>
          </div>
          <div className="muted small">
            {counter.kind === 'budget' ? 'Budget' : counter.kind === 'rate' ? 'Rate limit' : 'Concurrency'} · {counter.period}
            {counter.resetAt !== null ? <> · resets {format.dateTime(counter.resetAt)}</> : null}
          </div>
        </div>
        <div className="gauge-actions">
          {counter.exhausted ? <span className="badge badge-error">Blocked</span> : <span className="badge badge-ok">Open</span>}
          {onEdit ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={onEdit} aria-label={`Edit ${label}`}>
              Edit
            </button>
          ) : null}
        </div>
      </div>
      <div
        className="gauge-track"
        role="meter"
        aria-label={`${label}: used`}
        aria-valuemin={0}
        aria-valuemax={counter.limit}
        aria-valuenow={Math.min(counter.used, counter.limit)}
        aria-valuetext={`${amount(counter.unit, counter.used)} of ${amount(counter.unit, counter.limit)}`}
      >
        <div className="gauge-spent" style={{ width: `${spent * 100}%` }} />
        <div className="gauge-held" style={{ width: `${held * 100}%` }} />
        {thresholds.map((t) => (
          <div key={t} className="gauge-tick" style={{ left: `${Math.min(t, 100)}%` }} title={`alert at ${t}%`} />
        ))}
      </div>
      <dl className="gauge-facts">
        <div>
          <dt>Spent</dt>
          <dd>{amount(counter.unit, counter.used)}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd>{amount(counter.unit, counter.reserved)}</dd>
        </div>
        <div>
          <dt>Remaining</dt>
          <dd>{amount(counter.unit, remaining)}</dd>
        </div>
        <div>
          <dt>Limit</dt>
          <dd>{amount(counter.unit, counter.limit)}</dd>
        </div>
      </dl>
      {counter.exhausted ? (
        <p className="note note-error gauge-blocked" role="status">
          Requests in this scope are refused until {counter.resetAt !== null ? format.dateTime(counter.resetAt) : 'the limit is raised'}. Clients get{' '}
          {counter.kind === 'budget' ? (
            <>
              HTTP <code>412</code> with error code <code>budget_exceeded</code> and <code>x-should-retry: false</code>
            </>
          ) : (
            <>
              HTTP <code>429</code> with a <code>retry-after</code> header
            </>
          )}
          .
        </p>
      ) : null}
    </div>
  )
}
