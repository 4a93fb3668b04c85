/**
 * Settings/Status screen: gateway URL, vault backend, data directory and any warnings the core raised
 * (shown first and loudly), plus copy-ready client settings.
 */
import { useEffect } from 'react'
import { useStore } from 'zustand'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { useStores } from '../../lib/useStores.ts'

export function StatusView() {
  const stores = useStores()
  const { status, error, loading, load } = useStore(stores.status)

  useEffect(() => {
    void stores.status.getState().load()
  }, [stores])

  return (
    <section className="view">
      <PageHeader
        title="Status"
        description="How this Switchyard instance is running."
        actions={
          <button type="button" className="btn" disabled={loading} onClick={() => void load()}>
            {loading ? 'Checking…' : 'Refresh'}
          </button>
        }
      />
      <ErrorNote error={error} />
      {status ? (
        <>
          {status.warnings.length > 0 ? (
            <div className="note note-warn" role="alert" aria-label="Warnings">
              <div className="note-body">
                <strong>
                  {status.warnings.length === 1 ? 'Warning' : `${status.warnings.length} warnings`}
                </strong>
                <ul className="warning-list">
                  {status.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            </div>
          ) : (
            <div className="note note-ok" role="status">
              No warnings.
            </div>
          )}
          <div className="card">
            <dl className="facts">
              <dt>Gateway URL</dt>
              <dd>
                <code className="mono">{status.gatewayUrl}</code>
                <CopyButton value={status.gatewayUrl} />
              </dd>
              <dt>Vault backend</dt>
              <dd>
                {status.vaultBackend === 'keychain' ? (
                  <>
                    <span className="badge badge-ok">OS keychain</span>
                    <span className="muted">The vault's data key is protected by the operating system keychain.</span>
                  </>
                ) : (
                  <>
                    <span className="badge badge-warn">Key file</span>
                    <span className="muted">
                      The vault's data key is stored in a file next to the data. Anyone who can read the data
                      directory can decrypt your provider keys.
                    </span>
                  </>
                )}
              </dd>
              <dt>Data directory</dt>
              <dd>
                <code className="mono">{status.dataDir}</code>
              </dd>
              <dt>Version</dt>
              <dd className="mono">{status.version}</dd>
            </dl>
          </div>
          <div className="card">
            <div className="card-title">Connect a client</div>
            <p className="muted small">
              Use an API key from the API keys screen and name models as <code>@provider/model</code>.
            </p>
            <ClientSnippet
              title="OpenAI SDKs, Codex"
              text={`OPENAI_BASE_URL=${status.gatewayUrl}/v1\nOPENAI_API_KEY=<switchyard api key>`}
            />
            <ClientSnippet
              title="Anthropic SDK, Claude Code"
              text={`ANTHROPIC_BASE_URL=${status.gatewayUrl}\nANTHROPIC_API_KEY=<switchyard api key>`}
            />
          </div>
        </>
      ) : null}
    </section>
  )
}

function ClientSnippet({ title, text }: { title: string; text: string }) {
  return (
    <div className="snippet-block">
      <div className="snippet-head">
        <span>{title}</span>
        <CopyButton value={text} />
      </div>
      <pre className="snippet">{text}</pre>
    </div>
  )
}
