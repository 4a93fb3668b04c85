/** Inline editor of an integration's settings: name, base URL (custom host), extra headers, timeout. The key is replaced elsewhere (write-only). */
import { parseHeaderLines } from '../../lib/parseHeaderLines.ts'
import { useState, type FormEvent } from 'react'
import type { Integration, IntegrationSettings } from '../../../preload/contract.ts'

type Props = { integration: Integration; busy: boolean; onSave: (name: string, settings: IntegrationSettings) => Promise<boolean>; onCancel: () => void }

export function EditIntegration({ integration, busy, onSave, onCancel }: Props) {
  const s = integration.settings
  const [name, setName] = useState(integration.name)
  const [baseUrl, setBaseUrl] = useState(s.baseUrl ?? '')
  const [headers, setHeaders] = useState(Object.entries(s.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'))
  const [timeout, setTimeoutMs] = useState(s.timeoutMs ? String(s.timeoutMs) : '')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const hdrs = parseHeaderLines(headers)
    const next: IntegrationSettings = { ...s }
    if (baseUrl.trim()) next.baseUrl = baseUrl.trim()
    else delete next.baseUrl
    if (Object.keys(hdrs).length) next.headers = hdrs
    else delete next.headers
    if (timeout.trim()) next.timeoutMs = Number(timeout)
    else delete next.timeoutMs
    if (await onSave(name.trim(), next)) onCancel()
  }

  return (
    <form className="form edit-row" aria-label={`Edit ${integration.slug}`} onSubmit={(e) => void submit(e)}>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Base URL (custom host)</span>
          <input type="url" value={baseUrl} placeholder="provider default" onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Timeout (ms)</span>
          <input inputMode="numeric" value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Headers (Name: value)</span>
          <textarea rows={2} className="mono" value={headers} onChange={(e) => setHeaders(e.target.value)} />
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          Save settings
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
