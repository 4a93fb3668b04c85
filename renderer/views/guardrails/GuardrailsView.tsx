/**
 * Guardrails and network: the selected workspace's guardrail set (JSON, saved whole), a test box that
 * runs the set being edited over sample text and shows what would be redacted or blocked, and the
 * custom-host policy (allow-list and the loopback switch).
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import type { GuardrailSet } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { Toggle } from '../../components/Toggle.tsx'
import { useStores } from '../../lib/useStores.ts'
import { starterGuardrails } from '../../stores/guardrails.ts'

export function GuardrailsView() {
  const stores = useStores()
  const state = useStore(stores.guardrails)
  const workspaces = useStore(stores.workspaces)
  const workspace = workspaces.items.find((w) => w.id === workspaces.selectedId) ?? null

  useEffect(() => {
    if (workspace) void stores.guardrails.getState().load(workspace.id)
    void stores.guardrails.getState().loadNetwork()
  }, [stores, workspace])

  return (
    <section className="view">
      <PageHeader
        title="Guardrails & network"
        description={
          <>
            Checks on what goes out and comes back for the <strong>{workspace?.name ?? '…'}</strong> workspace (a routing config can carry its own
            with <code>input_guardrails</code>/<code>output_guardrails</code>), and which custom hosts requests may reach.
          </>
        }
      />
      <ErrorNote error={state.error} />
      {state.workspaceId === null || (state.busy && state.set === null && state.error === null) ? (
        <Loading what="guardrails" />
      ) : (
        <GuardrailEditor key={`${state.workspaceId}:${JSON.stringify(state.set)}`} />
      )}
      <NetworkCard />
    </section>
  )
}

function GuardrailEditor() {
  const stores = useStores()
  const state = useStore(stores.guardrails)
  const [text, setText] = useState(JSON.stringify(state.set ?? starterGuardrails, null, 2))
  const [sample, setSample] = useState('My key is sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD and my mail is ada@example.com')
  const [stage, setStage] = useState<'input' | 'output'>('input')
  const [parseError, setParseError] = useState<string | null>(null)

  const parsed = (): GuardrailSet | null => {
    try {
      const v = JSON.parse(text) as unknown
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a guardrail set is an object: { "input": [...], "output": [...] }')
      setParseError(null)
      return v as GuardrailSet
    } catch (err) {
      setParseError((err as Error).message)
      return null
    }
  }

  const save = async (e: FormEvent) => {
    e.preventDefault()
    const set = parsed()
    if (set) await state.save(set)
  }

  return (
    <div className="split">
      <form className="card form" aria-label="Workspace guardrails" onSubmit={(e) => void save(e)}>
        <div className="form-title">
          Guardrail set {state.set === null ? <span className="badge badge-muted">none saved</span> : <span className="badge badge-ok">active</span>}
        </div>
        <label className="field">
          <span className="field-label">Checks (JSON)</span>
          <textarea
            className="mono config-text"
            rows={12}
            spellCheck={false}
            value={text}
            aria-invalid={parseError || state.saveError ? true : undefined}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <p className="field-hint">
          Types: <code>secrets</code>, <code>pii</code>, <code>regex</code>, <code>contains</code>; outputs also <code>length</code>, <code>json_schema</code>. Actions:{' '}
          <code>log</code>, <code>redact</code>, <code>block</code>.
        </p>
        {parseError ? (
          <p className="note note-error" role="alert">
            Not valid JSON: {parseError}
          </p>
        ) : null}
        <ErrorNote error={state.saveError} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={state.busy}>
            Save guardrails
          </button>
          {state.set !== null ? (
            <button type="button" className="btn btn-ghost" disabled={state.busy} onClick={() => void state.save(null)}>
              Remove all
            </button>
          ) : null}
        </div>
      </form>
      <form
        className="card form"
        aria-label="Test guardrails"
        onSubmit={(e) => {
          e.preventDefault()
          const set = parsed()
          if (set) void state.runTest(sample, stage, set)
        }}
      >
        <div className="form-title">Test box</div>
        <label className="field">
          <span className="field-label">Sample text</span>
          <textarea rows={4} value={sample} onChange={(e) => setSample(e.target.value)} />
        </label>
        <div className="segmented" role="radiogroup" aria-label="Check as">
          {(['input', 'output'] as const).map((s) => (
            <button key={s} type="button" role="radio" aria-checked={stage === s} className={stage === s ? 'active' : undefined} onClick={() => setStage(s)}>
              {s === 'input' ? 'As a request' : 'As a response'}
            </button>
          ))}
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            Run checks
          </button>
        </div>
        <ErrorNote error={state.testError} />
        {state.test ? (
          <div className="test-result" role="status" aria-label="Guardrail result">
            {state.test.blocked ? (
              <p className="note note-error">
                <strong>Blocked.</strong> {state.test.blocked.message}
              </p>
            ) : state.test.results.length === 0 ? (
              <p className="note note-ok">Nothing found: the text goes through unchanged.</p>
            ) : (
              <p className="note note-ok">Allowed{state.test.text !== sample ? ', with redactions' : ''}.</p>
            )}
            {state.test.results.length > 0 ? (
              <ul className="plain-list">
                {state.test.results.map((r, i) => (
                  <li key={i}>
                    <span className={`badge ${r.action === 'block' ? 'badge-error' : r.action === 'redact' ? 'badge-warn' : 'badge-muted'}`}>{r.action}</span>{' '}
                    <code>{r.check}</code> · {r.count} finding{r.count === 1 ? '' : 's'}
                    {r.detectors ? ` (${r.detectors.join(', ')})` : ''}
                    {r.reason ? ` · ${r.reason}` : ''}
                  </li>
                ))}
              </ul>
            ) : null}
            {!state.test.blocked ? (
              <>
                <div className="field-label">Sent on as</div>
                <pre className="snippet" aria-label="Text after guardrails">
                  {state.test.text}
                </pre>
              </>
            ) : null}
          </div>
        ) : null}
      </form>
    </div>
  )
}

function NetworkCard() {
  const stores = useStores()
  const state = useStore(stores.guardrails)
  const [host, setHost] = useState('')
  const network = state.network

  const add = async (e: FormEvent) => {
    e.preventDefault()
    if (!network || !host.trim()) return
    if (await state.saveNetwork({ allowHosts: [...network.allowHosts, host.trim()] })) setHost('')
  }

  return (
    <div className="card form" role="group" aria-label="Network">
      <div className="form-title">Custom hosts</div>
      <p className="muted small">
        Requests may name their own upstream (<code>x-portkey-custom-host</code>). Private, link-local and cloud-metadata addresses are refused
        unless listed here.
      </p>
      <ErrorNote error={state.networkError} />
      {network === null ? (
        <Loading what="network settings" />
      ) : (
        <>
          <Toggle
            label="Allow this machine (127.0.0.1, ::1)"
            hint="For local model servers such as Ollama or LM Studio."
            checked={network.allowLoopback}
            onChange={(v) => void state.saveNetwork({ allowLoopback: v })}
          />
          {network.allowHosts.length === 0 ? (
            <p className="muted">No hosts allow-listed.</p>
          ) : (
            <ul className="chip-list" aria-label="Allowed hosts">
              {network.allowHosts.map((h) => (
                <li key={h} className="chip">
                  <span className="mono">{h}</span>
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    aria-label={`Remove ${h}`}
                    onClick={() => void state.saveNetwork({ allowHosts: network.allowHosts.filter((x) => x !== h) })}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form className="form-inline" aria-label="Allow a host" onSubmit={(e) => void add(e)}>
            <label className="field">
              <span className="field-label">Host, IP or CIDR</span>
              <input value={host} placeholder="gpu.lan or 192.168.1.0/24" onChange={(e) => setHost(e.target.value)} />
            </label>
            <button type="submit" className="btn">
              Allow host
            </button>
          </form>
        </>
      )}
    </div>
  )
}
