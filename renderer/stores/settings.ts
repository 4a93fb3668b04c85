/** Settings: the app's settings from main, changed a field at a time. */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AppSettings, AppSettingsChange } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type SettingsState = {
  settings: AppSettings | null
  busy: boolean
  error: ControlErrorInfo | null
  saveError: ControlErrorInfo | null
  savedAt: number | null
  load(): Promise<void>
  save(change: AppSettingsChange): Promise<boolean>
}

/** True for a bind address other machines can reach. */
export function isExposedHost(host: string): boolean {
  return !['127.0.0.1', 'localhost', '::1'].includes(host.trim())
}

export function createSettingsStore(gateway: Gateway, now: () => number = Date.now): StoreApi<SettingsState> {
  return createStore<SettingsState>()((set) => ({
    settings: null,
    busy: false,
    error: null,
    saveError: null,
    savedAt: null,
    async load() {
      const settings = await attempt(set, () => gateway.invoke('settings:get', {}))
      if (settings) set({ settings })
    },
    async save(change) {
      const settings = await attempt(set, () => gateway.invoke('settings:set', change), 'saveError')
      if (settings) set({ settings, savedAt: now() })
      return settings !== null
    },
  }))
}
