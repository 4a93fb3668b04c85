/**
 * All of the window's stores, made from one gateway. `createAppStores` is what `main.tsx` calls with
 * the real transport and what a test could call with a fake; views reach the result via `useStores`.
 */
import type { StoreApi } from 'zustand/vanilla'
import type { Gateway } from '../lib/gateway.ts'
import type { LiveSource } from '../lib/liveEvents.ts'
import { createConfigsStore, type ConfigsState } from './configs.ts'
import { createIntegrationsStore, type IntegrationsState } from './integrations.ts'
import { createKeysStore, type KeysState } from './keys.ts'
import { createLiveStore, type LiveState } from './live.ts'
import { createLogsStore, type LogsState } from './logs.ts'
import { createModelsStore, type ModelsState } from './models.ts'
import { createProvidersStore, type ProvidersState } from './providers.ts'
import { createStatusStore, type StatusState } from './status.ts'
import { createUsageStore, type UsageState } from './usage.ts'
import { createWorkspacesStore, type WorkspacesState } from './workspaces.ts'
// The window's remaining views (uiviews).
import { createBudgetsStore, type BudgetsState } from './budgets.ts'
import { createCatalogStore, type CatalogState } from './catalog.ts'
import { createGuardrailsStore, type GuardrailsState } from './guardrails.ts'
import { createRoutingStore, type RoutingState } from './routing.ts'
import { createSettingsStore, type SettingsState } from './settings.ts'
import { createToolsStore, type ToolsState } from './tools.ts'
import { createWizardStore, type WizardState } from './wizard.ts'
import { createWorkspaceAdminStore, type WorkspaceAdminState } from './workspaceAdmin.ts'

export type AppStores = {
  status: StoreApi<StatusState>
  workspaces: StoreApi<WorkspacesState>
  integrations: StoreApi<IntegrationsState>
  providers: StoreApi<ProvidersState>
  models: StoreApi<ModelsState>
  configs: StoreApi<ConfigsState>
  keys: StoreApi<KeysState>
  usage: StoreApi<UsageState>
  // The window's remaining views (uiviews).
  budgets: StoreApi<BudgetsState>
  catalog: StoreApi<CatalogState>
  guardrails: StoreApi<GuardrailsState>
  routing: StoreApi<RoutingState>
  settings: StoreApi<SettingsState>
  tools: StoreApi<ToolsState>
  wizard: StoreApi<WizardState>
  workspaceAdmin: StoreApi<WorkspaceAdminState>
  live: StoreApi<LiveState>
  logs: StoreApi<LogsState>
}

/** `live`: the events feed; absent (some tests), the window simply does not update by itself. */
export function createAppStores(gateway: Gateway, live: LiveSource = { connect: () => () => undefined }): AppStores {
  const stores: AppStores = {
    status: createStatusStore(gateway),
    workspaces: createWorkspacesStore(gateway),
    integrations: createIntegrationsStore(gateway),
    providers: createProvidersStore(gateway),
    models: createModelsStore(gateway),
    configs: createConfigsStore(gateway),
    keys: createKeysStore(gateway),
    usage: createUsageStore(gateway),
    // The window's remaining views (uiviews).
    budgets: createBudgetsStore(gateway),
    catalog: createCatalogStore(gateway),
    guardrails: createGuardrailsStore(gateway),
    routing: createRoutingStore(gateway),
    settings: createSettingsStore(gateway),
    tools: createToolsStore(gateway),
    wizard: createWizardStore(gateway),
    workspaceAdmin: createWorkspaceAdminStore(gateway),
    live: createLiveStore(live),
    logs: createLogsStore(gateway),
  }
  // The log keeps its tail even while another screen is shown.
  stores.live.getState().onUsage((rows) => stores.logs.getState().receive(rows))
  return stores
}
