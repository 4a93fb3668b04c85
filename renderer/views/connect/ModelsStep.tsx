/** Step 3: which models clients may use (select, clear all, auto-enable new ones) and custom models with a price and limits. */
import { Loading } from '../../components/Loading.tsx'
import { useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import { Toggle } from '../../components/Toggle.tsx'
import { useStores } from '../../lib/useStores.ts'

export function ModelsStep({ onDone }: { onDone: () => void }) {
  const stores = useStores()
  const state = useStore(stores.wizard)
  const [name, setName] = useState('')
  const [inPrice, setInPrice] = useState('')
  const [outPrice, setOutPrice] = useState('')
  const [maxIn, setMaxIn] = useState('')
  const [maxOut, setMaxOut] = useState('')
  const a = state.access
  if (!a) return <Loading what="models" />

  const addCustom = async (e: FormEvent) => {
    e.preventDefault()
    const micros = (s: string) => Math.round(Number(s) * 1_000_000)
    const ok = await state.addCustomModel({
      model: name.trim(),
      kind: 'private',
      price: inPrice && outPrice ? { inputMicrosPerMTok: micros(inPrice), outputMicrosPerMTok: micros(outPrice) } : null,
      maxInputTokens: maxIn ? Number(maxIn) : null,
      maxOutputTokens: maxOut ? Number(maxOut) : null,
    })
    if (ok) setName('')
  }

  const enabled = a.models.filter((m) => m.enabled).length
  return (
    <div className="split">
      <div className="card form" role="group" aria-label="Choose models">
        <div className="form-title">
          Models <span className="muted">({enabled} of {a.models.length} enabled)</span>
        </div>
        <Toggle label="Enable new models automatically" checked={a.autoEnableNew} disabled={state.busy} onChange={(v) => void state.changeAccess({ autoEnableNew: v })} />
        <div className="form-actions">
          <button type="button" className="btn btn-small" disabled={state.busy} onClick={() => void state.changeAccess({ all: 'enable' })}>
            Select all
          </button>
          <button type="button" className="btn btn-small" disabled={state.busy} onClick={() => void state.changeAccess({ all: 'disable' })}>
            Clear all
          </button>
        </div>
        {a.models.length === 0 ? (
          <p className="muted">No models known yet: run the connection test, or add a custom model.</p>
        ) : (
          <ul className="checks checks-column" aria-label="Models">
            {a.models.map((m) => (
              <li key={m.model}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={m.enabled}
                    disabled={state.busy}
                    onChange={(e) => void state.changeAccess(e.target.checked ? { enable: [m.model] } : { disable: [m.model] })}
                  />
                  <span className="mono">{m.model}</span> <span className="badge badge-muted">{m.source}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={onDone}>
            Finish
          </button>
        </div>
      </div>
      <form className="card form" aria-label="Add a custom model" onSubmit={(e) => void addCustom(e)}>
        <div className="form-title">Custom model</div>
        <label className="field">
          <span className="field-label">Model name</span>
          <input required value={name} placeholder="my-fine-tune" onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Input $ / MTok</span>
            <input inputMode="decimal" value={inPrice} onChange={(e) => setInPrice(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Output $ / MTok</span>
            <input inputMode="decimal" value={outPrice} onChange={(e) => setOutPrice(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Context (tokens)</span>
            <input inputMode="numeric" value={maxIn} onChange={(e) => setMaxIn(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Max output (tokens)</span>
            <input inputMode="numeric" value={maxOut} onChange={(e) => setMaxOut(e.target.value)} />
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={state.busy}>
            Add model
          </button>
        </div>
      </form>
    </div>
  )
}
