/**
 * The "API key" cell of an integration row: the hint (••••abcd) and, on demand, a write-only password
 * field to replace the stored key. The typed key lives only in this cell's state until saved.
 */
import { useState, type FormEvent } from 'react'
import type { Integration } from '../../../preload/contract.ts'
import { format } from '../../lib/format.ts'

type Props = { integration: Integration; onReplace: (apiKey: string) => Promise<boolean> }

export function ReplaceKeyCell({ integration, onReplace }: Props) {
  const [editing, setEditing] = useState(false)
  const [apiKey, setApiKey] = useState('')
  const [saving, setSaving] = useState(false)

  if (!editing) {
    return (
      <span className="key-cell">
        {integration.hasCredential ? (
          <span className="secret-hint mono">{format.credentialHint(integration.credentialHint)}</span>
        ) : (
          <span className="muted">none</span>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(true)}>
          {integration.hasCredential ? 'Replace' : 'Add key'}
        </button>
      </span>
    )
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setSaving(true)
    const ok = await onReplace(apiKey)
    setSaving(false)
    if (ok) {
      setApiKey('')
      setEditing(false)
    }
  }

  return (
    <form className="key-cell" onSubmit={(e) => void submit(e)} aria-label={`Replace API key of ${integration.slug}`}>
      <input
        type="password"
        required
        autoFocus
        value={apiKey}
        placeholder="New API key"
        autoComplete="new-password"
        aria-label="New API key"
        onChange={(e) => setApiKey(e.target.value)}
      />
      <button type="submit" className="btn btn-small btn-primary" disabled={saving}>
        Save
      </button>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        onClick={() => {
          setApiKey('')
          setEditing(false)
        }}
      >
        Cancel
      </button>
    </form>
  )
}
