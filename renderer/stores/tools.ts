/**
 * Connect a tool: the supported coding tools, a preview of the file `apply` would write (shown as a
 * diff), apply with a backup, and restore. The API key typed here is sent to main once and forgotten.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ToolApplyInput, ToolFileResult, ToolId, ToolInfo, ToolPreview } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type ToolsState = {
  items: ToolInfo[]
  loaded: boolean
  busy: boolean
  error: ControlErrorInfo | null
  actionError: ControlErrorInfo | null
  preview: ToolPreview | null
  result: ToolFileResult | null
  load(): Promise<void>
  showPreview(input: ToolApplyInput): Promise<void>
  apply(input: ToolApplyInput): Promise<boolean>
  restore(tool: ToolId): Promise<boolean>
}

export function createToolsStore(gateway: Gateway): StoreApi<ToolsState> {
  return createStore<ToolsState>()((set, get) => ({
    items: [],
    loaded: false,
    busy: false,
    error: null,
    actionError: null,
    preview: null,
    result: null,
    async load() {
      const items = await attempt(set, () => gateway.invoke('tools:list', {}))
      if (items) set({ items, loaded: true })
    },
    async showPreview(input) {
      set({ preview: null, result: null })
      const preview = await attempt(set, () => gateway.invoke('tools:preview', input), 'actionError')
      set({ preview })
    },
    async apply(input) {
      const result = await attempt(set, () => gateway.invoke('tools:apply', input), 'actionError')
      if (result) {
        set({ result, preview: null })
        await get().load()
      }
      return result !== null
    },
    async restore(tool) {
      const result = await attempt(set, () => gateway.invoke('tools:restore', { tool }), 'actionError')
      if (result) {
        set({ result, preview: null })
        await get().load()
      }
      return result !== null
    },
  }))
}
