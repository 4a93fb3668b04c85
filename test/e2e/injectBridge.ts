/**
 * Puts the desktop preload's bridge into a Playwright page as Electron would: the real
 * `preload/createBridge.ts`, bundled for the browser, runs before the page's scripts and talks to
 * main's real IPC transport through a binding. The binding passes the sending frame's URL and parent
 * as Electron's `senderFrame` does; events come back with `webContents.send` semantics.
 */
import { build } from 'esbuild'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from '../../main/control/ipcTransport.ts'
import { repoRoot } from './startServe.ts'

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown

const preloadForPage = `
import { createBridge } from './preload/createBridge.ts'
const listeners = []
const invoke = window.__switchyardIpcInvoke
const ipc = { invoke: (channel, ...args) => invoke(channel, ...args), on: (channel, fn) => void listeners.push([channel, fn]) }
Object.defineProperty(window, '__switchyardIpcDeliver', { value: (channel, args) => { for (const [c, fn] of listeners) if (c === channel) fn({}, ...args) } })
Object.defineProperty(window, 'switchyard', { value: Object.freeze(createBridge(ipc)), enumerable: true })
`

/** Installs the bridge in `page` (and every reload of it); returns the ipcMain to attach the transport to and a log of answers. */
export async function injectBridge(page: Page): Promise<{ ipcMain: IpcMainLike; answers: string[] }> {
  const handlers = new Map<string, Handler>()
  const answers: string[] = []
  const webContents: WebContentsLike = {
    id: 1,
    send(channel, ...args) {
      answers.push(JSON.stringify(args))
      void page.evaluate(([c, a]) => (window as unknown as { __switchyardIpcDeliver?: (c: unknown, a: unknown) => void }).__switchyardIpcDeliver?.(c, a), [channel, args] as const).catch(() => undefined)
    },
    isDestroyed: () => page.isClosed(),
    once(_event, fn) {
      page.once('close', fn)
      return webContents
    },
  }
  await page.exposeBinding('__switchyardIpcInvoke', async (source, channel: string, ...args: unknown[]) => {
    const h = handlers.get(channel)
    if (!h) throw new Error(`No handler registered for '${channel}'`)
    const answer = await h({ sender: webContents, senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } }, ...args)
    answers.push(JSON.stringify(answer))
    return answer
  })
  const bundled = await build({ stdin: { contents: preloadForPage, resolveDir: repoRoot, loader: 'ts', sourcefile: 'preload-for-page.ts' }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'warning', absWorkingDir: join(repoRoot) })
  await page.addInitScript({ content: bundled.outputFiles[0]?.text ?? '' })
  return {
    answers,
    ipcMain: {
      handle: (channel, fn) => void handlers.set(channel, fn),
      removeHandler: (channel) => void handlers.delete(channel),
    },
  }
}
