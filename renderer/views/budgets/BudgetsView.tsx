/**
 * Budgets and limits: a gauge per limited scope (workspace, API key, integration…) that refreshes
 * every two seconds while the screen is open, an in-place editor per scope, and a form to limit a
 * scope that has no limit yet.
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import type { BudgetPeriod, LimitScopeKind } from '../../../preload/contract.ts'
import { EmptyState } from '../../components/EmptyState.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useStores } from '../../lib/useStores.ts'
import { BudgetGauge } from './BudgetGauge.tsx'

const POLL_MS = 2000

type Target = { scope: LimitScopeKind; id: string; label: string }

export function BudgetsView() {
  const stores = useStores()
  const state = useStore(stores.budgets)
  const workspaces = useStore(stores.workspaces)
  const integrations = useStore(stores.integrations)
  const keys = useStore(stores.keys)
  const [editing, setEditing] = useState<Target | null>(null)

  useEffect(() => {
    void stores.budgets.getState().load()
    void stores.integrations.getState().load()
    const timer = setInterval(() => void stores.budgets.getState().load(), POLL_MS)
    return () => clearInterval(timer)
  }, [stores])

  useEffect(() => {
    if (workspaces.selectedId) void stores.keys.getState().load(workspaces.selectedId)
  }, [stores, workspaces.selectedId])

  const targets: Target[] = [
    ...workspaces.items.map((w) => ({ scope: 'workspace' as const, id: w.id, label: `Workspace ${w.name}` })),
    ...keys.items.filter((k) => k.revokedAt === null).map((k) => ({ scope: 'apiKey' as const, id: k.id, label: `API key ${k.name}` })),
    ...integrations.items.map((i) => ({ scope: 'integration' as const, id: i.id, label: `Integration ${i.slug}` })),
  ]
  const budgets = state.counters.filter((c) => c.kind === 'budget')
  const others = state.counters.filter((c) => c.kind !== 'budget')

  return (
    <section className="view">
      <PageHeader
        title="Budgets & limits"
        description="Spend and rate limits per scope. Every limit that applies must allow a call, so the tightest wins; calls in flight hold a reservation until they finish."
      />
      <ErrorNote error={state.error} />
      <LimitEditor
        key={editing ? `${editing.scope}:${editing.id}` : 'new'}
        targets={targets}
        initial={editing}
        busy={state.busy}
        onCancel={editing ? () => setEditing(null) : undefined}
        onSave={async (t, usd, period, thresholds, rpm) => {
          const ok =
            (await state.setUsdBudget(t.scope, t.id, usd === null ? null : Math.round(usd * 1_000_000), period, thresholds)) &&
            (rpm === undefined || (await state.setRateLimit(t.scope, t.id, rpm)))
          if (ok) setEditing(null)
          return ok
        }}
      />
      <ErrorNote error={state.saveError} />
      {!state.loaded && !state.error ? (
        <Loading what="limits" />
      ) : state.counters.length === 0 && state.loaded ? (
        <EmptyState title="No budgets or limits yet">
          Nothing is capped: every workspace and key may spend without limit. Set a monthly budget above and its gauge
          appears here, moving as requests are made.
        </EmptyState>
      ) : (
        <div className="gauges" aria-label="Limits" role="list">
          {[...budgets, ...others].map((c) => (
            <div role="listitem" key={`${c.scope}:${c.id}:${c.kind}:${c.unit}:${c.period}`}>
              <BudgetGauge counter={c} thresholds={c.kind === 'budget' ? (state.thresholds[`${c.scope}:${c.id}`] ?? []) : []} onEdit={() => setEditing({ scope: c.scope, id: c.id, label: c.label })} />
            </div>
          ))}
        </div>
      )}
    </section>
  )
}

type EditorProps = {
  targets: Target[]
  initial: Target | null
  busy: boolean
  onCancel: (() => void) | undefined
  onSave: (t: Target, usd: number | null, period: BudgetPeriod, thresholds: number[], rpm: number | null | undefined) => Promise<boolean>
}

function LimitEditor({ targets, initial, busy, onCancel, onSave }: EditorProps) {
  const [targetKey, setTargetKey] = useState(initial ? `${initial.scope}:${initial.id}` : '')
  const [usd, setUsd] = useState('')
  const [period, setPeriod] = useState<'monthly' | 'weekly' | 'none'>('monthly')
  const [thresholds, setThresholds] = useState('50, 80, 100')
  const [rpm, setRpm] = useState('')
  const target = targets.find((t) => `${t.scope}:${t.id}` === targetKey) ?? initial

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!target) return
    const amount = usd.trim() === '' ? null : Number(usd)
    const ticks = thresholds.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0)
    const rate = rpm.trim() === '' ? undefined : rpm.trim() === '0' ? null : Number(rpm)
    if (await onSave(target, amount, { kind: period }, ticks, rate)) {
      setUsd('')
      setRpm('')
    }
  }

  return (
    <form className="card form" aria-label={initial ? `Edit limits of ${initial.label}` : 'Set a limit'} onSubmit={(e) => void submit(e)}>
      <div className="form-title">{initial ? `Edit limits of ${initial.label}` : 'Set a budget or rate limit'}</div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Scope</span>
          <select required value={targetKey} disabled={initial !== null} onChange={(e) => setTargetKey(e.target.value)}>
            {initial ? <option value={targetKey}>{initial.label}</option> : <option value="">Choose…</option>}
            {initial
              ? null
              : targets.map((t) => (
                  <option key={`${t.scope}:${t.id}`} value={`${t.scope}:${t.id}`}>
                    {t.label}
                  </option>
                ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Budget (USD, empty removes it)</span>
          <input inputMode="decimal" value={usd} placeholder="25.00" onChange={(e) => setUsd(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Resets</span>
          <select value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            <option value="monthly">Monthly</option>
            <option value="weekly">Weekly</option>
            <option value="none">Never (total)</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Alert thresholds (%)</span>
          <input value={thresholds} onChange={(e) => setThresholds(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Requests per minute (0 removes)</span>
          <input inputMode="numeric" value={rpm} placeholder="unchanged" onChange={(e) => setRpm(e.target.value)} />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !target}>
          Save limits
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  )
}
