/**
 * One request in full, in a side drawer: route (and the targets a routing config tried), timing,
 * tokens, cost, status and error, guardrail results, metadata and (when body capture was on) the
 * request and response. Escape or the close button dismisses it.
 */
import { useEffect, useRef, type ReactNode } from 'react'
import type { UsageRow } from '../../../preload/contract.ts'
import { CopyButton } from '../../components/CopyButton.tsx'
import { format } from '../../lib/format.ts'
import { LogBodies } from './LogBodies.tsx'

type Props = { row: UsageRow; workspace: string | undefined; apiKey: string | undefined; onClose(): void }

export function LogDetail({ row, workspace, apiKey, onClose }: Props) {
  const closeButton = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    closeButton.current?.focus()
    const onKey = (e: globalThis.KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [row.id, onClose])
  const failed = row.status >= 400
  const queued = row.ttfbMs === null ? null : Math.max(0, row.latencyMs - row.ttfbMs)
  return (
    <aside className="drawer card" role="dialog" aria-modal="false" aria-labelledby="log-detail-title">
      <div className="drawer-head">
        <h2 id="log-detail-title">
          <span className={`badge ${failed ? 'badge-error' : 'badge-ok'}`}>{row.status}</span> {row.model ?? 'request'}
        </h2>
        <button ref={closeButton} type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close detail">
          Close
        </button>
      </div>
      {row.error ? <p className={failed ? 'note note-error' : 'note'}>{row.error}</p> : null}
      <Section title="Route">
        <Item k="Endpoint" v={<code>{row.endpoint}</code>} />
        <Item k="Provider" v={row.providerSlug ? `@${row.providerSlug}` : '—'} />
        <Item k="Model" v={row.model ?? '—'} />
        <Item k="Workspace" v={workspace ?? row.workspaceId ?? '—'} />
        <Item k="API key" v={apiKey ?? row.apiKeyId ?? '—'} />
        <Item k="Limits" v={row.admitted ? 'admitted (reservation settled)' : 'not admitted'} />
      </Section>
      {row.attempts?.length ? (
        <Section title="Route taken" list={false}>
          <ol className="small" aria-label="Targets tried">
            {row.attempts.map((a, i) => (
              <li key={i}>
                <code>{a.target}</code>
                {a.jsonPath ? <span className="muted"> ({a.jsonPath})</span> : null}
                {' — '}
                {a.skipped === 'circuit_open' ? 'skipped: circuit open' : a.status === null ? 'not called' : `HTTP ${a.status}`}
                {a.retries ? `, ${a.retries} ${a.retries === 1 ? 'retry' : 'retries'}` : ''}
                {a.error ? <span className="muted"> · {a.error}</span> : null}
              </li>
            ))}
          </ol>
        </Section>
      ) : null}
      <Section title="Timing">
        <Item k="Received" v={format.dateTime(row.createdAt)} />
        <Item k="Latency" v={format.latency(row.latencyMs)} />
        <Item k="Time to first byte" v={row.ttfbMs === null ? '—' : format.latency(row.ttfbMs)} />
        {queued !== null ? <Item k="After first byte" v={format.latency(queued)} /> : null}
        <Item k="Streamed" v={row.stream ? 'yes' : 'no'} />
        <div className="timing-bar" aria-hidden="true">
          <span className="timing-ttfb" style={{ width: `${row.ttfbMs === null || row.latencyMs === 0 ? 0 : (row.ttfbMs / row.latencyMs) * 100}%` }} />
        </div>
      </Section>
      <Section title="Tokens and cost">
        <Item k="Input" v={format.tokens(row.inputTokens)} />
        <Item k="Output" v={format.tokens(row.outputTokens)} />
        <Item k="Cached" v={format.tokens(row.cachedTokens)} />
        {row.cacheWriteTokens ? <Item k="Cache writes" v={format.tokens(row.cacheWriteTokens)} /> : null}
        {row.reasoningTokens ? <Item k="Reasoning" v={format.tokens(row.reasoningTokens)} /> : null}
        <Item k="Cost" v={format.usd(row.costMicros)} />
      </Section>
      <Section title="Guardrails" list={false}>
        {row.guardrails?.length ? (
          <table className="table table-dense" aria-label="Guardrail results">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Stage</th>
                <th scope="col">Action</th>
                <th scope="col" className="num">Found</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {row.guardrails.map((g, i) => (
                <tr key={i}>
                  <td className="mono">{g.check}</td>
                  <td>{g.stage}</td>
                  <td>{g.skipped ? `skipped: ${g.skipped}` : g.action}</td>
                  <td className="num mono">{g.count}</td>
                  <td>{[...g.where, ...(g.detectors ?? []), ...(g.reason ? [g.reason] : [])].join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted small">No guardrail fired on this request.</p>
        )}
      </Section>
      <Section title="Metadata" list={false}>
        {row.metadata && Object.keys(row.metadata).length ? (
          <dl>
            {Object.entries(row.metadata).map(([k, v]) => (
              <Item key={k} k={k} v={<code>{v}</code>} />
            ))}
          </dl>
        ) : (
          <p className="muted small">None sent (x-portkey-metadata).</p>
        )}
      </Section>
      <Section title="Trace">
        <Item
          k="Trace id"
          v={
            <>
              <code>{row.traceId}</code> <CopyButton value={row.traceId} label="Copy trace id" />
            </>
          }
        />
      </Section>
      <LogBodies id={row.id} />
    </aside>
  )
}

function Section({ title, children, list = true }: { title: string; children: ReactNode; list?: boolean }) {
  return (
    <section className="drawer-section" aria-label={title}>
      <h3>{title}</h3>
      {list ? <dl>{children}</dl> : children}
    </section>
  )
}

function Item({ k, v }: { k: string; v: ReactNode }) {
  return (
    <div className="kv">
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  )
}
