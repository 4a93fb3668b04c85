/**
 * Routing beyond the config editor: a workspace's ordered aliases (reorder, test a name, save), a
 * config's dry run, and its version history with restore (a restore saves the old body as a new version).
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { DryRunInput, DryRunResult, ModelAlias, SavedConfig } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'
import { moveItem } from '../lib/matchAlias.ts'

export type RoutingState = {
  workspaceId: string | null
  aliases: ModelAlias[]
  /** Edited since the last load or save. */
  dirty: boolean
  busy: boolean
  error: ControlErrorInfo | null
  dryRun: DryRunResult | null
  dryRunError: ControlErrorInfo | null
  versions: SavedConfig[]
  versionsError: ControlErrorInfo | null
  loadAliases(workspaceId: string): Promise<void>
  editAliases(next: ModelAlias[]): void
  move(from: number, to: number): void
  saveAliases(): Promise<boolean>
  runDryRun(input: DryRunInput): Promise<void>
  /** Every version of a config, newest first. */
  loadVersions(id: string): Promise<void>
  restore(id: string, version: number): Promise<SavedConfig | null>
}

export function createRoutingStore(gateway: Gateway): StoreApi<RoutingState> {
  return createStore<RoutingState>()((set, get) => ({
    workspaceId: null,
    aliases: [],
    dirty: false,
    busy: false,
    error: null,
    dryRun: null,
    dryRunError: null,
    versions: [],
    versionsError: null,
    async loadAliases(workspaceId) {
      set({ workspaceId })
      const aliases = await attempt(set, () => gateway.invoke('aliases:list', { workspaceId }))
      if (aliases) set({ aliases, dirty: false })
    },
    editAliases(next) {
      set({ aliases: next, dirty: true })
    },
    move(from, to) {
      set({ aliases: moveItem(get().aliases, from, to), dirty: true })
    },
    async saveAliases() {
      const workspaceId = get().workspaceId
      if (workspaceId === null) return false
      const aliases = await attempt(set, () => gateway.invoke('aliases:set', { workspaceId, aliases: get().aliases }))
      if (aliases) set({ aliases, dirty: false })
      return aliases !== null
    },
    async runDryRun(input) {
      set({ dryRun: null })
      const r = await attempt(set, () => gateway.invoke('routing:dryRun', input), 'dryRunError')
      if (r) set({ dryRun: r })
    },
    async loadVersions(id) {
      const list = await attempt(
        set,
        async () => {
          const current = await gateway.invoke('configs:get', { id })
          const older = await Promise.all(
            Array.from({ length: current.version - 1 }, (_, i) => gateway.invoke('configs:get', { id, version: current.version - 1 - i })),
          )
          return [current, ...older]
        },
        'versionsError',
      )
      if (list) set({ versions: list })
    },
    async restore(id, version) {
      const old = get().versions.find((v) => v.version === version)
      if (!old) return null
      const saved = await attempt(set, () => gateway.invoke('configs:update', { id, config: old.config }), 'versionsError')
      if (saved) await get().loadVersions(id)
      return saved
    },
  }))
}
