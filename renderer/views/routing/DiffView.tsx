/** A line diff, added and removed lines marked by colour and by a +/- sign (not colour alone). */
import type { DiffLine } from '../../lib/lineDiff.ts'

export function DiffView({ lines, label }: { lines: DiffLine[]; label: string }) {
  const changed = lines.some((l) => l.op !== ' ')
  return (
    <div className="diff" role="region" aria-label={label} tabIndex={0}>
      {!changed ? <div className="muted diff-none">No changes.</div> : null}
      {lines.map((l, i) => (
        <div key={i} className={l.op === '+' ? 'diff-line diff-add' : l.op === '-' ? 'diff-line diff-del' : 'diff-line'}>
          <span className="diff-op" aria-hidden="true">
            {l.op}
          </span>
          <span className="sr-only">{l.op === '+' ? 'added: ' : l.op === '-' ? 'removed: ' : ''}</span>
          {l.text || ' '}
        </div>
      ))}
    </div>
  )
}
