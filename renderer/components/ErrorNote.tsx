/**
 * An API error shown inline, next to the form or list it belongs to: the server's message, its code,
 * and the offending field when the server named one. Renders nothing without an error.
 */
import type { ControlErrorInfo } from '../lib/gateway.ts'

type Props = { error: ControlErrorInfo | null; onDismiss?: () => void }

export function ErrorNote({ error, onDismiss }: Props) {
  if (error === null) return null
  return (
    <div className="note note-error" role="alert">
      <div className="note-body">
        <span className="note-message">{error.message}</span>
        <span className="note-meta">
          <code>{error.code}</code>
          {error.path ? (
            <>
              {' '}
              · field <code>{error.path}</code>
            </>
          ) : null}
        </span>
      </div>
      {onDismiss ? (
        <button type="button" className="btn btn-ghost btn-icon" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      ) : null}
    </div>
  )
}
