/**
 * The connect wizard: 1 connect (choose a provider from a searchable list, name, slug checked as you
 * type, masked credentials, Azure deployments, a self-hosted/custom-host switch with auth headers,
 * then a connection test that lists the models from `/models` and spends no tokens) → 2 provision to
 * workspaces → 3 choose models.
 */
import { useEffect } from 'react'
import { useStore } from 'zustand'
import type { ProviderKind } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import type { Navigate } from '../../lib/routes.ts'
import { useStores } from '../../lib/useStores.ts'
import { buildIntegrationInput } from '../../stores/integrations.ts'
import type { WizardStep } from '../../stores/wizard.ts'
import { ConnectForm } from './ConnectForm.tsx'
import { ModelsStep } from './ModelsStep.tsx'
import { ProvisionStep } from './ProvisionStep.tsx'

const steps: Array<{ id: WizardStep; label: string }> = [
  { id: 'connect', label: 'Connect' },
  { id: 'provision', label: 'Provision to workspaces' },
  { id: 'models', label: 'Choose models' },
]

export function ConnectWizard({ onNavigate }: { onNavigate: Navigate }) {
  const stores = useStores()
  const state = useStore(stores.wizard)
  const integrations = useStore(stores.integrations)
  const workspaceId = useStore(stores.workspaces, (w) => w.selectedId)

  useEffect(() => {
    void stores.integrations.getState().load()
  }, [stores])

  const index = steps.findIndex((s) => s.id === state.step)

  return (
    <section className="view">
      <PageHeader
        title="Connect a provider"
        description="Add a provider account, make it available to workspaces, and choose which of its models clients may use."
        actions={
          state.integration ? (
            <button type="button" className="btn btn-ghost" onClick={state.reset}>
              Start over
            </button>
          ) : null
        }
      />
      <ol className="stepper" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s.id} className={i === index ? 'step step-current' : i < index || state.step === 'done' ? 'step step-done' : 'step'} aria-current={i === index ? 'step' : undefined}>
            <span className="step-n" aria-hidden="true">
              {i < index || state.step === 'done' ? '✓' : i + 1}
            </span>
            {s.label}
          </li>
        ))}
      </ol>
      <ErrorNote error={state.error} />
      {state.step === 'connect' ? (
        state.integration === null ? (
          <ConnectForm
            kinds={integrations.kinds}
            loading={integrations.loading && integrations.kinds.length === 0}
            takenSlugs={integrations.items.map((i) => i.slug)}
            busy={state.busy}
            onSubmit={async (draft, kind: ProviderKind | undefined, custom) => {
              const input = buildIntegrationInput(draft, kind)
              if (custom.baseUrl) input.settings = { ...input.settings, baseUrl: custom.baseUrl }
              if (Object.keys(custom.headers).length) input.settings = { ...input.settings, headers: custom.headers }
              if (custom.workspaceOnly && workspaceId) input.workspaceId = workspaceId
              const ok = await state.connect(input)
              if (ok) void stores.integrations.getState().load()
              return ok
            }}
          />
        ) : (
          <TestStep onNext={() => void state.goTo('provision')} />
        )
      ) : null}
      {state.step === 'provision' ? <ProvisionStep onNext={() => void state.goTo('models')} /> : null}
      {state.step === 'models' ? <ModelsStep onDone={() => void state.goTo('done')} /> : null}
      {state.step === 'done' && state.integration ? (
        <div className="card form" role="status" aria-label="Connected">
          <div className="form-title">
            <span className="mono">@{state.providerSlug}</span> is ready
          </div>
          <p>
            Clients send <code>model: "@{state.providerSlug}/&lt;model&gt;"</code> with a Switchyard key.
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={() => onNavigate('keys')}>
              Create an API key
            </button>
            <button type="button" className="btn" onClick={() => onNavigate('models')}>
              Open the model catalog
            </button>
            <button type="button" className="btn btn-ghost" onClick={state.reset}>
              Connect another
            </button>
          </div>
        </div>
      ) : null}
    </section>
  )
}

function TestStep({ onNext }: { onNext: () => void }) {
  const stores = useStores()
  const state = useStore(stores.wizard)
  const integration = state.integration
  if (!integration) return null
  return (
    <div className="card form" role="group" aria-label="Connection test">
      <div className="form-title">
        Saved <span className="mono">@{state.providerSlug}</span>
        {integration.credentialHint ? <span className="muted"> · key ••••{integration.credentialHint}</span> : null}
      </div>
      <p className="muted small">The test asks the provider for its model list: no tokens are spent.</p>
      <div className="form-actions">
        <button type="button" className="btn" disabled={state.busy} onClick={() => void state.testConnection()}>
          {state.busy ? 'Testing…' : 'Test connection'}
        </button>
        <button type="button" className="btn btn-primary" onClick={onNext}>
          Next: provision
        </button>
      </div>
      <ErrorNote error={state.testError} />
      {state.tested ? (
        <div className="note note-ok" role="status">
          Connected: {state.tested.length} model{state.tested.length === 1 ? '' : 's'} found.
          <ul className="chip-list" aria-label="Models found">
            {state.tested.slice(0, 40).map((m) => (
              <li key={m} className="chip mono">
                {m}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  )
}
