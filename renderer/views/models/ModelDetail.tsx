/** One model's catalog entry: its exact `@slug/model` string, limits, prices with their source, and ready-to-copy snippets. */
import { useState } from 'react'
import type { ModelPriceView } from '../../../preload/contract.ts'
import { CopyButton } from '../../components/CopyButton.tsx'
import { format } from '../../lib/format.ts'
import { modelSnippets } from '../../lib/snippets.ts'

export function ModelDetail({ id, gatewayUrl, price }: { id: string; gatewayUrl: string; price: ModelPriceView | undefined }) {
  const snippets = modelSnippets(gatewayUrl, id)
  const [tab, setTab] = useState(snippets[0]?.id ?? 'curl')
  const current = snippets.find((s) => s.id === tab) ?? snippets[0]
  const p = price?.price
  return (
    <div className="model-detail" role="region" aria-label={`${id} details`}>
      <div className="model-facts">
        <dl className="facts">
          <dt>Model string</dt>
          <dd>
            <code>{id}</code> <CopyButton value={id} label="Copy" />
          </dd>
          <dt>Context</dt>
          <dd>{price?.maxInputTokens ? `${price.maxInputTokens.toLocaleString('en-US')} tokens` : 'unknown'}</dd>
          <dt>Max output</dt>
          <dd>{price?.maxOutputTokens ? `${price.maxOutputTokens.toLocaleString('en-US')} tokens` : 'unknown'}</dd>
          <dt>Price</dt>
          <dd>
            {p ? (
              <>
                in {format.pricePerMTok(p.inputMicrosPerMTok)} · out {format.pricePerMTok(p.outputMicrosPerMTok)}
                {p.cacheReadMicrosPerMTok !== undefined ? <> · cache read {format.pricePerMTok(p.cacheReadMicrosPerMTok)}</> : null}
              </>
            ) : (
              'unknown (budgets refuse unpriced calls)'
            )}
          </dd>
          <dt>Price source</dt>
          <dd>
            {price?.source ? (
              price.source.url ? (
                <a href={price.source.url} target="_blank" rel="noreferrer">
                  {price.source.kind}: {price.source.ref}
                </a>
              ) : (
                `${price.source.kind}: ${price.source.ref}`
              )
            ) : (
              '—'
            )}
          </dd>
          <dt>Capabilities</dt>
          <dd>
            {p?.tiers?.length ? <span className="badge badge-muted">tiered pricing</span> : null}{' '}
            {p?.cacheReadMicrosPerMTok !== undefined ? <span className="badge badge-muted">prompt caching</span> : null}{' '}
            {p?.reasoningMicrosPerMTok !== undefined ? <span className="badge badge-muted">reasoning</span> : null}{' '}
            <span className="badge badge-muted">chat</span> <span className="badge badge-muted">streaming</span>
          </dd>
        </dl>
      </div>
      <div className="snippet-block">
        <div className="snippet-head">
          <div className="segmented" role="tablist" aria-label="Snippet">
            {snippets.map((s) => (
              <button key={s.id} type="button" role="tab" aria-selected={s.id === tab} className={s.id === tab ? 'active' : undefined} onClick={() => setTab(s.id)}>
                {s.label}
              </button>
            ))}
          </div>
          {current ? <CopyButton value={current.text} label="Copy snippet" /> : null}
        </div>
        <pre className="snippet" role="tabpanel" aria-label={`${current?.label ?? ''} snippet`} tabIndex={0}>
          {current?.text}
        </pre>
      </div>
    </div>
  )
}
