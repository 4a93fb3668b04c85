/**
 * All of the window's stores, made from one gateway. `createAppStores` is what `main.tsx` calls with
 * the real transport and what a test could call with a fake; views reach the result via `useStores`.
 */
import type { StoreApi } from 'zustand/vanilla'
import type { Gateway } from '../lib/gateway.ts'
import { createConfigsStore, type ConfigsState } from './configs.ts'
import { createIntegrationsStore, type IntegrationsState } from './integrations.ts'
import { createKeysStore, type KeysState } from './keys.ts'
import { createModelsStore, type ModelsState } from './models.ts'
import { createProvidersStore, type ProvidersState } from './providers.ts'
import { createStatusStore, type StatusState } from './status.ts'
import { createUsageStore, type UsageState } from './usage.ts'
import { createWorkspacesStore, type WorkspacesState } from './workspaces.ts'

export type AppStores = {
  status: StoreApi<StatusState>
  workspaces: StoreApi<WorkspacesState>
  integrations: StoreApi<IntegrationsState>
  providers: StoreApi<ProvidersState>
  models: StoreApi<ModelsState>
  configs: StoreApi<ConfigsState>
  keys: StoreApi<KeysState>
  usage: StoreApi<UsageState>
}

export function createAppStores(gateway: Gateway): AppStores {
  return {
    status: createStatusStore(gateway),
    workspaces: createWorkspacesStore(gateway),
    integrations: createIntegrationsStore(gateway),
    providers: createProvidersStore(gateway),
    models: createModelsStore(gateway),
    configs: createConfigsStore(gateway),
    keys: createKeysStore(gateway),
    usage: createUsageStore(gateway),
  }
}
