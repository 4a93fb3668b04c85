/**
 * The "nothing here yet" panel: says what the screen is for and what to do next, with one action.
 */
import type { ReactNode } from 'react'

type Props = {
  title: string
  children: ReactNode
  action?: { label: string; onClick: () => void }
}

export function EmptyState({ title, children, action }: Props) {
  return (
    <div className="empty">
      <div className="empty-title">{title}</div>
      <div className="empty-body">{children}</div>
      {action ? (
        <button type="button" className="btn btn-primary" onClick={action.onClick}>
          {action.label}
        </button>
      ) : null}
    </div>
  )
}
