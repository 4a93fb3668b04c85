/**
 * A workspace's model aliases, in the order they are tried: drag a row (or use its up/down buttons)
 * to reorder, add and remove rows, test which alias a model name hits, and save the list whole.
 */
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { matchAlias } from '../../lib/matchAlias.ts'
import { useStores } from '../../lib/useStores.ts'

export function AliasesCard() {
  const stores = useStores()
  const state = useStore(stores.routing)
  const workspaceId = useStore(stores.workspaces, (s) => s.selectedId)
  const [pattern, setPattern] = useState('')
  const [target, setTarget] = useState('')
  const [probe, setProbe] = useState('')
  const [dragFrom, setDragFrom] = useState<number | null>(null)

  useEffect(() => {
    if (workspaceId) void stores.routing.getState().loadAliases(workspaceId)
  }, [stores, workspaceId])

  const hit = probe.trim() ? matchAlias(state.aliases, probe.trim()) : null

  return (
    <div className="card form" role="group" aria-label="Model aliases">
      <div className="form-title">
        Model aliases {state.dirty ? <span className="badge badge-warn">unsaved</span> : null}
      </div>
      <p className="muted small">
        A model name clients send (exact or with <code>*</code>) → <code>@provider/model</code>. The first match wins.
      </p>
      <ErrorNote error={state.error} />
      {state.aliases.length === 0 ? (
        <p className="muted">No aliases: clients must name a model the catalog knows, or <code>@provider/model</code>.</p>
      ) : (
        <ol className="alias-list" aria-label="Aliases in order">
          {state.aliases.map((a, i) => (
            <li
              key={`${a.pattern}:${i}`}
              className={hit?.index === i ? 'alias-row alias-hit' : 'alias-row'}
              draggable
              onDragStart={() => setDragFrom(i)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={() => {
                if (dragFrom !== null) state.move(dragFrom, i)
                setDragFrom(null)
              }}
            >
              <span className="drag-handle" aria-hidden="true">
                ⋮⋮
              </span>
              <span className="mono">{a.pattern}</span>
              <span aria-hidden="true">→</span>
              <span className="mono">{a.target}</span>
              <span className="alias-actions">
                <button type="button" className="btn btn-small btn-ghost" aria-label={`Move ${a.pattern} up`} disabled={i === 0} onClick={() => state.move(i, i - 1)}>
                  ↑
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  aria-label={`Move ${a.pattern} down`}
                  disabled={i === state.aliases.length - 1}
                  onClick={() => state.move(i, i + 1)}
                >
                  ↓
                </button>
                <button type="button" className="btn btn-small btn-quiet-danger" aria-label={`Remove ${a.pattern}`} onClick={() => state.editAliases(state.aliases.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="form-inline">
        <label className="field">
          <span className="field-label">Pattern</span>
          <input value={pattern} placeholder="claude-haiku-*" onChange={(e) => setPattern(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Target</span>
          <input value={target} placeholder="@anthropic/claude-haiku-4-5" onChange={(e) => setTarget(e.target.value)} />
        </label>
        <button
          type="button"
          className="btn"
          disabled={!pattern.trim() || !target.trim()}
          onClick={() => {
            state.editAliases([...state.aliases, { pattern: pattern.trim(), target: target.trim() }])
            setPattern('')
            setTarget('')
          }}
        >
          Add alias
        </button>
        <button type="button" className="btn btn-primary" disabled={!state.dirty || state.busy} onClick={() => void state.saveAliases()}>
          Save aliases
        </button>
      </div>
      <label className="field">
        <span className="field-label">Test a model name</span>
        <input value={probe} placeholder="claude-haiku-4-5" onChange={(e) => setProbe(e.target.value)} />
      </label>
      {probe.trim() ? (
        <p className="muted" role="status">
          {hit ? (
            <>
              Alias {hit.index + 1} → <strong className="mono">{hit.target}</strong>
            </>
          ) : (
            'No alias matches: the name goes to the catalog as is.'
          )}
        </p>
      ) : null}
    </div>
  )
}
