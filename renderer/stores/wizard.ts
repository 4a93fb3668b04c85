/**
 * The connect wizard, Portkey's three steps: connect (create the integration, then a connection test
 * that lists its models from `/models`, which spends no tokens) → provision to workspaces → choose
 * models (enable/disable, auto-enable new ones, custom models with price and limits).
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { CustomModelInput, Integration, IntegrationInput, LimitPolicy, ModelAccess, ModelAccessChange, Provisioning } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type WizardStep = 'connect' | 'provision' | 'models' | 'done'

export type WizardState = {
  step: WizardStep
  integration: Integration | null
  providerSlug: string | null
  /** Models the connection test found; null: not tested yet. */
  tested: string[] | null
  provisioning: Provisioning | null
  access: ModelAccess | null
  busy: boolean
  error: ControlErrorInfo | null
  testError: ControlErrorInfo | null
  connect(input: IntegrationInput): Promise<boolean>
  testConnection(): Promise<void>
  goTo(step: WizardStep): Promise<void>
  provision(workspaceId: string, enabled: boolean, limits?: LimitPolicy | null): Promise<void>
  setAutoProvision(on: boolean): Promise<void>
  changeAccess(change: Omit<ModelAccessChange, 'integrationId'>): Promise<void>
  addCustomModel(input: Omit<CustomModelInput, 'integrationId'>): Promise<boolean>
  reset(): void
}

/** What a slug field says while typing: null when fine. */
export function slugProblem(slug: string, taken: string[]): string | null {
  if (slug === '') return 'Required: clients write it as @slug/model.'
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(slug)) return 'Use lowercase letters, digits, "-" or "_", starting with a letter or digit.'
  if (taken.includes(slug)) return `@${slug} is already taken.`
  return null
}

const initial = { step: 'connect' as WizardStep, integration: null, providerSlug: null, tested: null, provisioning: null, access: null, busy: false, error: null, testError: null }

export function createWizardStore(gateway: Gateway): StoreApi<WizardState> {
  return createStore<WizardState>()((set, get) => {
    const id = () => get().integration?.id ?? ''
    return {
      ...initial,
      async connect(input) {
        const integration = await attempt(set, () => gateway.invoke('integrations:create', input))
        if (!integration) return false
        const providers = await gateway.invoke('providers:list', { integrationId: integration.id }).catch(() => [])
        set({ integration, providerSlug: providers[0]?.slug ?? integration.slug, tested: null })
        return true
      },
      async testConnection() {
        const slug = get().providerSlug
        if (slug === null) return
        set({ tested: null })
        const models = await attempt(set, () => gateway.invoke('models:refresh', { providerSlug: slug }), 'testError')
        if (models) set({ tested: models.map((m) => m.model) })
      },
      async goTo(step) {
        if (step === 'provision') {
          const p = await attempt(set, () => gateway.invoke('provisioning:list', { integrationId: id() }))
          if (p) set({ provisioning: p })
        }
        if (step === 'models') {
          const a = await attempt(set, () => gateway.invoke('modelAccess:get', { integrationId: id() }))
          if (a) set({ access: a })
        }
        set({ step })
      },
      async provision(workspaceId, enabled, limits) {
        const p = await attempt(set, () => gateway.invoke('provisioning:set', { integrationId: id(), workspaceId, enabled, ...(limits !== undefined ? { limits } : {}) }))
        if (p) set({ provisioning: p })
      },
      async setAutoProvision(on) {
        const p = await attempt(set, () => gateway.invoke('provisioning:setDefaults', { integrationId: id(), autoProvision: on }))
        if (p) set({ provisioning: p })
      },
      async changeAccess(change) {
        const a = await attempt(set, () => gateway.invoke('modelAccess:set', { integrationId: id(), ...change }))
        if (a) set({ access: a })
      },
      async addCustomModel(input) {
        const m = await attempt(set, () => gateway.invoke('customModels:upsert', { integrationId: id(), ...input }))
        if (m) await get().goTo('models')
        return m !== null
      },
      reset() {
        set({ ...initial })
      },
    }
  })
}
