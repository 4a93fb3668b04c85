/**
 * Integrations: stored credentials for one provider account, plus the provider kinds to pick from.
 * The API key is write-only: it goes out in `integrations:create` and is never kept in this store;
 * what comes back (and what the list shows) is `credentialHint`, the last four characters.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  AzureDeployment,
  Integration,
  IntegrationInput,
  IntegrationSettings,
  ProviderKind,
} from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type DeploymentDraft = { alias: string; deployment: string; model: string }

/** The create form's fields, as typed. `buildIntegrationInput` turns them into the command input. */
export type IntegrationDraft = {
  kind: string
  slug: string
  name: string
  apiKey: string
  baseUrl: string
  azureEndpoint: string
  azureApiVersion: string
  azureDeployments: DeploymentDraft[]
}

export const emptyIntegrationDraft: IntegrationDraft = {
  kind: '',
  slug: '',
  name: '',
  apiKey: '',
  baseUrl: '',
  azureEndpoint: '',
  azureApiVersion: '',
  azureDeployments: [],
}

/**
 * Only the fields that belong to the chosen kind go out (a base URL typed for Ollama does not follow
 * the user to OpenAI), empty fields are omitted so the server applies its defaults.
 */
export function buildIntegrationInput(
  draft: IntegrationDraft,
  kind: ProviderKind | undefined,
): IntegrationInput {
  const input: IntegrationInput = { kind: draft.kind, slug: draft.slug.trim() }
  const name = draft.name.trim()
  if (name) input.name = name
  const apiKey = draft.apiKey.trim()
  if (apiKey) input.apiKey = apiKey
  const settings: IntegrationSettings = {}
  if (kind?.category === 'self-hosted') {
    const baseUrl = draft.baseUrl.trim()
    if (baseUrl) settings.baseUrl = baseUrl
  }
  if (kind?.category === 'azure') {
    const endpoint = draft.azureEndpoint.trim()
    if (endpoint) settings.azureEndpoint = endpoint
    const apiVersion = draft.azureApiVersion.trim()
    if (apiVersion) settings.azureApiVersion = apiVersion
    const deployments: AzureDeployment[] = []
    for (const row of draft.azureDeployments) {
      const alias = row.alias.trim()
      const deployment = row.deployment.trim()
      const model = row.model.trim()
      if (!alias && !deployment) continue
      deployments.push(model ? { alias, deployment, model } : { alias, deployment })
    }
    if (deployments.length > 0) settings.azureDeployments = deployments
  }
  if (Object.keys(settings).length > 0) input.settings = settings
  return input
}

export type IntegrationsState = {
  items: Integration[]
  kinds: ProviderKind[]
  loading: boolean
  /** Loading the list failed. */
  error: ControlErrorInfo | null
  saving: boolean
  /** The create form's last error, shown next to the form. */
  formError: ControlErrorInfo | null
  /** A row action (delete) failed, shown above the list. */
  actionError: ControlErrorInfo | null
  load(): Promise<void>
  /** Resolves to the created integration, or null when the server refused (see `formError`). */
  create(input: IntegrationInput): Promise<Integration | null>
  /** Rotates the stored API key; like create, the key is sent once and not kept. */
  replaceKey(id: string, apiKey: string): Promise<boolean>
  /** Name and settings (base URL, headers, timeout…); the key is not touched. */
  updateSettings(id: string, name: string, settings: IntegrationSettings): Promise<boolean>
  remove(id: string): Promise<boolean>
  clearFormError(): void
}

export function createIntegrationsStore(gateway: Gateway): StoreApi<IntegrationsState> {
  return createStore<IntegrationsState>()((set, get) => ({
    items: [],
    kinds: [],
    loading: false,
    error: null,
    saving: false,
    formError: null,
    actionError: null,
    async load() {
      set({ loading: true, error: null })
      try {
        const [items, kinds] = await Promise.all([
          gateway.invoke('integrations:list', {}),
          gateway.invoke('providerKinds:list', {}),
        ])
        set({ items: sortBySlug(items), kinds, loading: false })
      } catch (err) {
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async create(input) {
      set({ saving: true, formError: null })
      try {
        const created = await gateway.invoke('integrations:create', input)
        set({
          items: sortBySlug([...get().items.filter((i) => i.id !== created.id), created]),
          saving: false,
        })
        return created
      } catch (err) {
        set({ saving: false, formError: toErrorInfo(err) })
        return null
      }
    },
    async updateSettings(id, name, settings) {
      set({ actionError: null })
      try {
        const updated = await gateway.invoke('integrations:update', name ? { id, name, settings } : { id, settings })
        set({ items: get().items.map((i) => (i.id === updated.id ? updated : i)) })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
    async replaceKey(id, apiKey) {
      set({ actionError: null })
      try {
        const updated = await gateway.invoke('integrations:update', { id, apiKey: apiKey.trim() })
        set({ items: get().items.map((i) => (i.id === updated.id ? updated : i)) })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
    async remove(id) {
      set({ actionError: null })
      try {
        await gateway.invoke('integrations:delete', { id })
        set({ items: get().items.filter((i) => i.id !== id) })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
    clearFormError() {
      set({ formError: null })
    },
  }))
}

function sortBySlug(items: Integration[]): Integration[] {
  return [...items].sort((a, b) => a.slug.localeCompare(b.slug))
}
