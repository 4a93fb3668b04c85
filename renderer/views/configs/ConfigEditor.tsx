/**
 * The create/edit form of a routing config: slug, name and the JSON itself in a monospace textarea.
 * "Validate" asks the server to check the JSON and lists every problem with its path beside the
 * editor; a refused save shows the server's error (with its path) under it. The text lives here
 * until a save succeeds.
 */
import { useState, type FormEvent } from 'react'
import type { SavedConfig } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import type { ControlErrorInfo } from '../../lib/gateway.ts'
import type { ConfigDraft, ConfigValidation } from '../../stores/configs.ts'

type Props = {
  /** The config being edited; null creates a new one. */
  editing: SavedConfig | null
  initial: ConfigDraft
  saving: boolean
  error: ControlErrorInfo | null
  validating: boolean
  validation: ConfigValidation | null
  onValidate: (text: string) => Promise<boolean>
  onSubmit: (draft: ConfigDraft) => Promise<SavedConfig | null>
  onCancel: () => void
}

export function ConfigEditor(props: Props) {
  const { editing, initial, saving, error, validating, validation, onValidate, onSubmit, onCancel } = props
  const [draft, setDraft] = useState<ConfigDraft>(initial)
  const update = (patch: Partial<ConfigDraft>) => setDraft((d) => ({ ...d, ...patch }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    await onSubmit(draft)
  }

  const configInvalid = error?.path?.startsWith('config') || (validation !== null && !validation.ok) ? true : undefined
  const title = editing ? `Edit config ${editing.slug}` : 'Create config'
  const slugPreview = draft.slug.trim() || 'slug'

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label={title}>
      <div className="form-title">
        {editing ? (
          <>
            Edit <span className="mono">{editing.slug}</span> <span className="muted">(version {editing.version})</span>
          </>
        ) : (
          'New config'
        )}
      </div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Slug</span>
          <input
            required
            value={draft.slug}
            placeholder="fallback-gpt4o"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error?.path === 'slug' ? true : undefined}
            onChange={(e) => update({ slug: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">
            Name <span className="optional">optional</span>
          </span>
          <input value={draft.name} placeholder="Display name" onChange={(e) => update({ name: e.target.value })} />
        </label>
      </div>
      <div className="config-editor">
        <label className="field">
          <span className="field-label">Config (JSON)</span>
          <textarea
            className="config-text mono"
            required
            rows={16}
            value={draft.text}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={configInvalid}
            onChange={(e) => update({ text: e.target.value })}
          />
        </label>
        <ValidationPanel validating={validating} validation={validation} text={draft.text} />
      </div>
      <ErrorNote error={error} />
      <div className="form-actions">
        <button type="button" className="btn" disabled={validating} onClick={() => void onValidate(draft.text)}>
          {validating ? 'Validating…' : 'Validate'}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Create config'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <span className="form-hint mono">x-portkey-config: {slugPreview}</span>
      </div>
    </form>
  )
}

function ValidationPanel(props: { validating: boolean; validation: ConfigValidation | null; text: string }) {
  const { validating, validation, text } = props
  const stale = validation !== null && validation.text !== text
  return (
    <div className="config-checks" role="region" aria-label="Validation">
      <div className="field-label">Validation</div>
      {validating ? <div className="muted">Checking…</div> : null}
      {!validating && validation === null ? (
        <div className="form-hint">
          Validate checks targets, strategies, retries and guardrails and lists every problem by its path. Saving
          checks too.
        </div>
      ) : null}
      {validation?.ok ? (
        <div className="note note-ok" role="status">
          The config is valid.
        </div>
      ) : null}
      {validation && !validation.ok ? (
        <ul className="config-issues" aria-label="Validation errors">
          {validation.errors.map((issue, i) => (
            <li key={`${i}:${issue.path}`}>
              <code className="config-issue-path">{issue.path || '(whole config)'}</code>
              <span className="config-issue-message">{issue.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {stale && !validating ? <div className="form-hint">Edited since this check; validate again.</div> : null}
    </div>
  )
}
