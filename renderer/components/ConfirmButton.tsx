/**
 * A destructive row action in two clicks ("Delete" → "Confirm delete"), inline rather than a modal
 * `confirm()`, so keyboard users and automated tests see the same thing.
 */
import { useState } from 'react'

type Props = {
  label: string
  confirmLabel: string
  onConfirm: () => Promise<unknown> | void
  disabled?: boolean
}

export function ConfirmButton({ label, confirmLabel, onConfirm, disabled = false }: Props) {
  const [armed, setArmed] = useState(false)
  const [busy, setBusy] = useState(false)
  if (!armed) {
    return (
      <button type="button" className="btn btn-small btn-quiet-danger" disabled={disabled} onClick={() => setArmed(true)}>
        {label}
      </button>
    )
  }
  const confirm = async () => {
    setBusy(true)
    try {
      await onConfirm()
    } finally {
      setBusy(false)
      setArmed(false)
    }
  }
  return (
    <span className="confirm">
      <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void confirm()}>
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setArmed(false)}>
        Cancel
      </button>
    </span>
  )
}
