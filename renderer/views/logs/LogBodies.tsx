/**
 * The drawer's request and response bodies (Settings → body capture), fetched when the drawer opens a
 * row. Each side is collapsible, monospace, with a copy button; JSON is indented for reading. When the
 * call was not captured the drawer says so, and why that is the default.
 */
import { useEffect } from 'react'
import { useStore } from 'zustand'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { useStores } from '../../lib/useStores.ts'

export function LogBodies({ id }: { id: number }) {
  const logs = useStores().logs
  const bodies = useStore(logs, (s) => s.bodies)
  useEffect(() => void logs.getState().loadBodies(id), [logs, id])
  const mine = bodies?.id === id ? bodies : null
  return (
    <section className="drawer-section" aria-label="Bodies">
      <h3>Request and response</h3>
      {mine?.error ? (
        <ErrorNote error={mine.error} />
      ) : !mine?.value ? (
        <p className="muted small">Loading…</p>
      ) : !mine.value.captured ? (
        <p className="note small" data-testid="bodies-not-captured">
          Not captured: body capture was off for this request. Turn it on in Settings to keep request and response bodies (secrets are always redacted).
        </p>
      ) : (
        <>
          <Body title="Request (as sent upstream)" text={mine.value.request} truncated={mine.value.requestTruncated} />
          <Body title="Response (as the client received it)" text={mine.value.response} truncated={mine.value.responseTruncated} />
        </>
      )}
    </section>
  )
}

function Body({ title, text, truncated }: { title: string; text: string | null; truncated: boolean }) {
  const shown = text === null ? null : pretty(text)
  return (
    <details className="body-capture">
      <summary>
        {title}
        {truncated ? <span className="badge"> truncated</span> : null}
      </summary>
      {shown === null ? (
        <p className="muted small">None.</p>
      ) : (
        <>
          <CopyButton value={shown} label={`Copy ${title.split(' ')[0]?.toLowerCase() ?? ''}`} />
          <pre className="mono body-text" tabIndex={0}>
            {shown}
          </pre>
        </>
      )}
    </details>
  )
}

/** Indented JSON when the text is one JSON document; otherwise (SSE, a truncated body) as stored. */
function pretty(text: string): string {
  const t = text.trimStart()
  if (!t.startsWith('{') && !t.startsWith('[')) return text
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
