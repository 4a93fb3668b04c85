/**
 * The "Add integration" form. The API key field is a password input whose value lives only in this
 * component's state until submit; it is cleared after a successful save and never read back.
 * Fields follow the chosen kind: base URL for self-hosted servers, endpoint/version/deployments for Azure.
 */
import { useId, useState, type FormEvent } from 'react'
import type { ProviderKind } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import type { ControlErrorInfo } from '../../lib/gateway.ts'
import {
  buildIntegrationInput,
  emptyIntegrationDraft,
  type DeploymentDraft,
  type IntegrationDraft,
} from '../../stores/integrations.ts'
import type { IntegrationInput, Integration } from '../../../preload/contract.ts'

type Props = {
  kinds: ProviderKind[]
  saving: boolean
  error: ControlErrorInfo | null
  onSubmit: (input: IntegrationInput) => Promise<Integration | null>
  onCancel?: () => void
  onDismissError: () => void
}

const categoryLabels: Record<ProviderKind['category'], string> = {
  hosted: 'Hosted providers',
  azure: 'Azure',
  'self-hosted': 'Self-hosted (your machine or network)',
}

const emptyDeployment: DeploymentDraft = { alias: '', deployment: '', model: '' }

export function IntegrationForm({ kinds, saving, error, onSubmit, onCancel, onDismissError }: Props) {
  const [draft, setDraft] = useState<IntegrationDraft>(emptyIntegrationDraft)
  const ids = useId()
  /** Until the user types a slug, it follows the chosen kind. */
  const [slugEdited, setSlugEdited] = useState(false)
  const kind = kinds.find((k) => k.id === draft.kind)
  const update = (patch: Partial<IntegrationDraft>) => setDraft((d) => ({ ...d, ...patch }))
  const updateDeployment = (index: number, patch: Partial<DeploymentDraft>) =>
    setDraft((d) => ({
      ...d,
      azureDeployments: d.azureDeployments.map((row, i) => (i === index ? { ...row, ...patch } : row)),
    }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const created = await onSubmit(buildIntegrationInput(draft, kind))
    if (created !== null) {
      setDraft(emptyIntegrationDraft)
      setSlugEdited(false)
    }
  }

  const invalid = (field: string) => (error?.path === field || error?.path?.endsWith(`.${field}`) ? true : undefined)

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-label="Add integration">
      <div className="form-title">Add integration</div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Provider kind</span>
          <select
            required
            value={draft.kind}
            aria-invalid={invalid('kind')}
            onChange={(e) => {
              const next = kinds.find((k) => k.id === e.target.value)
              update({ kind: e.target.value, slug: slugEdited ? draft.slug : next ? suggestSlug(next) : '' })
            }}
          >
            <option value="" disabled>
              Choose a provider…
            </option>
            {(['hosted', 'azure', 'self-hosted'] as const).map((category) => {
              const inCategory = kinds.filter((k) => k.category === category)
              if (inCategory.length === 0) return null
              return (
                <optgroup key={category} label={categoryLabels[category]}>
                  {inCategory.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.name}
                    </option>
                  ))}
                </optgroup>
              )
            })}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Slug</span>
          <input
            required
            value={draft.slug}
            placeholder="openai-work"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={invalid('slug')}
            onChange={(e) => {
              setSlugEdited(e.target.value !== '')
              update({ slug: e.target.value })
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">
            Name <span className="optional">optional</span>
          </span>
          <input
            value={draft.name}
            placeholder={kind ? `${kind.name} (work account)` : 'Display name'}
            aria-invalid={invalid('name')}
            onChange={(e) => update({ name: e.target.value })}
          />
        </label>
        {kind && (kind.needsApiKey || kind.category === 'self-hosted') ? (
          <div className="field field-wide">
            <label className="field-label" htmlFor={`${ids}-key`}>
              API key {kind.needsApiKey ? null : <span className="optional">optional</span>}
            </label>
            <input
              id={`${ids}-key`}
              type="password"
              required={kind.needsApiKey}
              value={draft.apiKey}
              placeholder={kind.needsApiKey ? 'Paste the provider API key' : 'Only if your server checks one'}
              autoComplete="new-password"
              spellCheck={false}
              aria-describedby={`${ids}-key-hint`}
              aria-invalid={invalid('apiKey')}
              onChange={(e) => update({ apiKey: e.target.value })}
            />
            <span className="field-hint" id={`${ids}-key-hint`}>
              Write-only: stored encrypted in the vault. After saving, only the last four characters are shown.
            </span>
          </div>
        ) : null}
        {kind?.category === 'self-hosted' ? (
          <div className="field field-wide">
            <label className="field-label" htmlFor={`${ids}-url`}>
              Base URL {kind.defaultBaseUrl ? <span className="optional">optional</span> : null}
            </label>
            <input
              id={`${ids}-url`}
              type="url"
              required={kind.defaultBaseUrl === null}
              value={draft.baseUrl}
              placeholder={kind.defaultBaseUrl ?? 'http://127.0.0.1:8000/v1'}
              spellCheck={false}
              aria-describedby={`${ids}-url-hint`}
              aria-invalid={invalid('baseUrl')}
              onChange={(e) => update({ baseUrl: e.target.value })}
            />
            <span className="field-hint" id={`${ids}-url-hint`}>
              The OpenAI-compatible endpoint of your server
              {kind.defaultBaseUrl ? `; defaults to ${kind.defaultBaseUrl}` : ''}.
            </span>
          </div>
        ) : null}
        {kind?.category === 'azure' ? (
          <>
            <label className="field field-wide">
              <span className="field-label">Azure endpoint</span>
              <input
                type="url"
                required
                value={draft.azureEndpoint}
                placeholder="https://my-resource.openai.azure.com"
                spellCheck={false}
                aria-invalid={invalid('azureEndpoint')}
                onChange={(e) => update({ azureEndpoint: e.target.value })}
              />
            </label>
            <label className="field">
              <span className="field-label">
                API version <span className="optional">optional</span>
              </span>
              <input
                value={draft.azureApiVersion}
                placeholder="2024-10-21"
                spellCheck={false}
                aria-invalid={invalid('azureApiVersion')}
                onChange={(e) => update({ azureApiVersion: e.target.value })}
              />
            </label>
            <fieldset className="field field-wide deployments">
              <legend className="field-label">Deployments</legend>
              {draft.azureDeployments.length === 0 ? (
                <span className="field-hint">
                  Map what clients send as <code>model</code> to your Azure deployment names.
                </span>
              ) : (
                <div className="deployment-rows">
                  <span className="deployment-head">Alias (model clients send)</span>
                  <span className="deployment-head">Deployment name</span>
                  <span className="deployment-head">Underlying model</span>
                  <span />
                  {draft.azureDeployments.map((row, index) => (
                    <DeploymentRow
                      key={index}
                      row={row}
                      index={index}
                      onChange={(patch) => updateDeployment(index, patch)}
                      onRemove={() =>
                        update({ azureDeployments: draft.azureDeployments.filter((_, i) => i !== index) })
                      }
                    />
                  ))}
                </div>
              )}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => update({ azureDeployments: [...draft.azureDeployments, emptyDeployment] })}
              >
                + Add deployment
              </button>
            </fieldset>
          </>
        ) : null}
      </div>
      <ErrorNote error={error} onDismiss={onDismissError} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={saving || !kind}>
          {saving ? 'Saving…' : 'Save integration'}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {kind?.docs ? (
          <a className="form-link" href={kind.docs} target="_blank" rel="noreferrer">
            {kind.name} docs ↗
          </a>
        ) : null}
      </div>
    </form>
  )
}

function DeploymentRow(props: {
  row: DeploymentDraft
  index: number
  onChange: (patch: Partial<DeploymentDraft>) => void
  onRemove: () => void
}) {
  const { row, index, onChange, onRemove } = props
  return (
    <>
      <input
        aria-label={`Deployment ${index + 1} alias`}
        value={row.alias}
        placeholder="gpt-4o"
        onChange={(e) => onChange({ alias: e.target.value })}
      />
      <input
        aria-label={`Deployment ${index + 1} name`}
        value={row.deployment}
        placeholder="prod-gpt4o"
        onChange={(e) => onChange({ deployment: e.target.value })}
      />
      <input
        aria-label={`Deployment ${index + 1} model`}
        value={row.model}
        placeholder="gpt-4o"
        onChange={(e) => onChange({ model: e.target.value })}
      />
      <button type="button" className="btn btn-ghost btn-icon" aria-label="Remove deployment" onClick={onRemove}>
        ×
      </button>
    </>
  )
}

/** A starting slug from the kind id, e.g. `openai` → `openai`; the user edits it freely. */
function suggestSlug(kind: ProviderKind): string {
  return kind.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
}
