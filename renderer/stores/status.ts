/**
 * System status for the header, the warning banner and the Status view: gateway URL, vault backend,
 * warnings (e.g. the vault's data key sits in a key file). Read-only.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { SystemStatus } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

export type StatusState = {
  status: SystemStatus | null
  loading: boolean
  error: ControlErrorInfo | null
  load(): Promise<void>
}

export function createStatusStore(gateway: Gateway): StoreApi<StatusState> {
  return createStore<StatusState>()((set) => ({
    status: null,
    loading: false,
    error: null,
    async load() {
      set({ loading: true, error: null })
      try {
        const status = await gateway.invoke('system:status', {})
        set({ status, loading: false })
      } catch (err) {
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
  }))
}
