/**
 * The title row of a screen: name, one line of explanation, and the screen's main actions.
 */
import type { ReactNode } from 'react'

type Props = { title: string; description: ReactNode; actions?: ReactNode }

export function PageHeader({ title, description, actions }: Props) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        <p className="page-description">{description}</p>
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  )
}
