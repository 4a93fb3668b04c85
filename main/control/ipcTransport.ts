/**
 * The Control API over Electron IPC: the second transport of the one service (the first is
 * adminHttp.ts). Pure code over an ipcMain-like object, so the Node tests drive it with a stand-in
 * that keeps Electron's rules. Every call is checked the same way: the sender must be the app's own
 * top-level page (frame URL), the channel one of the allow-list, the command one the service has, the
 * input valid under the same zod schemas as HTTP (`control.invoke`). Answers are `Result`s of plain
 * data; events go only to windows that subscribed, and stop when a window goes away.
 */
import type { Events, Result } from '../../preload/contract.ts'
import { eventNames, ipcChannels, isEventName } from '../../preload/channels.ts'
import { log } from '../log.ts'
import { ControlError } from './ControlError.ts'
import type { ControlService } from './createControlService.ts'

export type WebContentsLike = {
  readonly id: number
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  once(event: 'destroyed', fn: () => void): unknown
}

export type IpcInvokeEventLike = {
  sender: WebContentsLike
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  senderFrame: { url: string; parent: unknown } | null
}

export type IpcMainLike = {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export type IpcTransportOptions = {
  /** True for the URL of a page the app itself loaded (its UI origin and path). */
  isTrustedUrl(url: string): boolean
}

const failure = (e: ControlError): Result<never> => ({ ok: false, error: { code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) } })

/** The app's own UI: same origin as `uiUrl` and a path under it. Anything else (other ports, file:, https:) is not. */
export function trustedUiUrl(uiUrl: string): (url: string) => boolean {
  const base = new URL(uiUrl)
  return (url) => {
    try {
      const u = new URL(url)
      return u.origin === base.origin && u.pathname.startsWith(base.pathname)
    } catch {
      return false
    }
  }
}

export function attachIpcTransport(control: ControlService, ipcMain: IpcMainLike, opts: IpcTransportOptions): { detach(): void } {
  const subscribers = new Map<keyof Events, Map<number, WebContentsLike>>()

  function untrusted(event: IpcInvokeEventLike): ControlError | null {
    const frame = event.senderFrame
    if (!frame) return new ControlError('forbidden', 'the sending frame is gone')
    if (frame.parent !== null && frame.parent !== undefined) return new ControlError('forbidden', 'only the top-level page may call the Control API')
    if (!opts.isTrustedUrl(frame.url)) {
      log.warn('IPC call from an untrusted page refused', { url: frame.url })
      return new ControlError('forbidden', "the sending page is not the app's own UI")
    }
    return null
  }

  ipcMain.handle(ipcChannels.invoke, async (event, name, input): Promise<Result<unknown>> => {
    const refused = untrusted(event)
    if (refused) return failure(refused)
    if (typeof name !== 'string' || !control.has(name)) return failure(new ControlError('not_found', `no command '${String(name)}'`))
    try {
      return { ok: true, value: await control.invoke(name, input) }
    } catch (err) {
      if (err instanceof ControlError) return failure(err)
      log.error('control command failed', { command: name, error: err })
      return failure(new ControlError('internal_error', `${name} failed unexpectedly; see the app log`))
    }
  })

  ipcMain.handle(ipcChannels.subscribe, (event, name): Result<{ subscribed: string }> => {
    const refused = untrusted(event)
    if (refused) return failure(refused)
    if (!isEventName(name)) return failure(new ControlError('not_found', `no event '${String(name)}'`))
    const wc = event.sender
    const set = subscribers.get(name) ?? new Map<number, WebContentsLike>()
    subscribers.set(name, set)
    if (!set.has(wc.id)) {
      set.set(wc.id, wc)
      wc.once('destroyed', () => set.delete(wc.id))
    }
    return { ok: true, value: { subscribed: name } }
  })

  const offs = eventNames.map((name) =>
    control.on(name, (payload) => {
      for (const [id, wc] of subscribers.get(name) ?? []) {
        if (wc.isDestroyed()) subscribers.get(name)?.delete(id)
        else wc.send(ipcChannels.event, name, payload)
      }
    }),
  )

  return {
    detach() {
      ipcMain.removeHandler(ipcChannels.invoke)
      ipcMain.removeHandler(ipcChannels.subscribe)
      for (const off of offs) off()
      subscribers.clear()
    },
  }
}
