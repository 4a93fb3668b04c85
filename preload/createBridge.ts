/**
 * What the preload puts on `window.switchyard`: invoke a Control API command, subscribe to events.
 * Only the allow-listed channels are used; the renderer never sees `ipcRenderer` or an IPC event
 * object (whose `sender` would hand it the whole IPC API). Takes an ipcRenderer-like object so the
 * same code runs under Electron and in the Node contract tests.
 */
import type { CommandName, Events, Result } from './contract.ts'
import { ipcChannels, isEventName } from './channels.ts'

export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export type SwitchyardBridgeApi = {
  invoke(name: CommandName, input: unknown): Promise<Result<unknown>>
  /** Calls `fn` with each payload of `event`; returns the unsubscribe function. */
  on<E extends keyof Events>(event: E, fn: (payload: Events[E]) => void): () => void
}

export function createBridge(ipc: IpcRendererLike): SwitchyardBridgeApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  ipc.on(ipcChannels.event, (_event, name, payload) => {
    if (typeof name !== 'string') return
    for (const fn of listeners.get(name) ?? []) fn(payload)
  })
  return {
    invoke: (name, input) => ipc.invoke(ipcChannels.invoke, name, input) as Promise<Result<unknown>>,
    on(event, fn) {
      if (!isEventName(event)) throw new Error(`unknown Switchyard event '${String(event)}'`)
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
        void ipc.invoke(ipcChannels.subscribe, event)
      }
      const f = fn as (p: unknown) => void
      set.add(f)
      return () => void set.delete(f)
    },
  }
}
