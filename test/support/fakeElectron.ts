/**
 * An in-process stand-in for Electron's ipcMain, ipcRenderer, webContents and contextBridge that
 * keeps Electron's rules: every IPC argument and answer is structured-cloned (functions and class
 * instances do not cross), an invoke on a channel nobody handles rejects, the handler sees the
 * sender's frame URL, and `contextBridge.exposeInMainWorld` copies plain data (functions are
 * proxied, with their arguments and results copied in turn). Records what crossed, for secret checks.
 */
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from '../../main/control/ipcTransport.ts'
import type { IpcRendererLike } from '../../preload/createBridge.ts'

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown

export type FakeRenderer = {
  ipcRenderer: IpcRendererLike
  webContents: WebContentsLike & { destroy(): void }
  /** The page's main world: what `contextBridge.exposeInMainWorld` put there. */
  world: Record<string, unknown>
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void }
}

export type FakeElectron = {
  ipcMain: IpcMainLike & { channels(): string[] }
  /** A window whose (top-level, unless `parent`) frame shows `url`. */
  renderer(url: string, opts?: { subframe?: boolean }): FakeRenderer
  /** Every value that crossed main → renderer (answers and events), as JSON. */
  toRenderer: string[]
  toMain: string[]
}

/** Electron's contextBridge copy: plain data cloned, functions proxied, prototypes dropped. */
function bridgeCopy(v: unknown): unknown {
  if (typeof v === 'function') {
    const f = v as (...a: unknown[]) => unknown
    return (...args: unknown[]) => bridgeCopy(f(...args.map(bridgeCopy)))
  }
  if (v instanceof Promise) return v.then(bridgeCopy)
  if (Array.isArray(v)) return v.map(bridgeCopy)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bridgeCopy(x)]))
  return v
}

export function createFakeElectron(): FakeElectron {
  const handlers = new Map<string, Handler>()
  const toRenderer: string[] = []
  const toMain: string[] = []
  let nextId = 1
  const record = (into: string[], v: unknown) => into.push(JSON.stringify(v) ?? 'undefined')

  return {
    toRenderer,
    toMain,
    ipcMain: {
      handle(channel, fn) {
        if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
        handlers.set(channel, fn)
      },
      removeHandler: (channel) => void handlers.delete(channel),
      channels: () => [...handlers.keys()],
    },
    renderer(url, opts = {}) {
      const listeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>()
      const destroyed: Array<() => void> = []
      let gone = false
      const ipcRenderer: IpcRendererLike = {
        async invoke(channel, ...args) {
          const sent = structuredClone(args) // throws DataCloneError for functions, as Electron does
          record(toMain, [channel, ...sent])
          const h = handlers.get(channel)
          if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`)
          const answer = await h({ sender: webContents, senderFrame: gone ? null : { url, parent: opts.subframe ? {} : null } }, ...sent)
          const back = structuredClone(answer)
          record(toRenderer, back)
          return back
        },
        on(channel, fn) {
          listeners.set(channel, [...(listeners.get(channel) ?? []), fn])
          return ipcRenderer
        },
      }
      const webContents: FakeRenderer['webContents'] = {
        id: nextId++,
        send(channel, ...args) {
          const sent = structuredClone(args)
          record(toRenderer, [channel, ...sent])
          for (const fn of listeners.get(channel) ?? []) fn({ sender: ipcRenderer }, ...sent)
        },
        isDestroyed: () => gone,
        once(_event, fn) {
          destroyed.push(fn)
          return webContents
        },
        destroy() {
          gone = true
          for (const fn of destroyed) fn()
        },
      }
      const world: Record<string, unknown> = {}
      return {
        ipcRenderer,
        webContents,
        world,
        contextBridge: {
          exposeInMainWorld(key, api) {
            if (key in world) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`)
            world[key] = bridgeCopy(api)
          },
        },
      }
    },
  }
}
