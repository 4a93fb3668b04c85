/**
 * The desktop shell: the gateway core in-process, a tray that shows money, a hardened window on the
 * web UI that talks to main over the typed IPC bridge only, native notifications. The only folder
 * that imports electron, and thin on purpose: what the tray shows, what a notification says, what a
 * start-up failure offers and how IPC is checked are pure modules in main/desktop and main/control,
 * tested in Node.
 */
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, Notification, session, shell, Tray } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { attachIpcTransport, trustedUiUrl } from '../control/ipcTransport.ts'
import { defaultDataDir } from '../dataDir.ts'
import { createNotificationPolicy, type Notification as Notice } from '../desktop/notificationPolicy.ts'
import { startupDialog } from '../desktop/startupFailure.ts'
import { trayIcon, trayMenu, trayTooltip, type TrayAction } from '../desktop/trayMenu.ts'
import { readTrayState } from '../desktop/trayState.ts'
import { log } from '../log.ts'
import { startSwitchyard, type Running, type StartOptions } from '../startSwitchyard.ts'
import { keychainStore } from '../vault/keychain.ts'
import { migratingKeyStore } from '../vault/migratingKeyStore.ts'
import { sealedFileStore } from '../vault/sealedFileStore.ts'
import { electronLoginItem } from './loginItem.ts'
import { toTemplate, trayImage } from './nativeMenu.ts'
import { safeStorageSealer } from './safeStorageSealer.ts'

/** The window's own policy, on top of the one the UI server sends: nothing but the app's origin. */
const desktopCsp =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

let running: Running | null = null
let tray: Tray | null = null
let win: BrowserWindow | null = null
let quitting = false
let lastError: string | null = null
let notificationsOn = true
let topUpMicros = 5_000_000

const isHttps = (url: string) => /^https:\/\//i.test(url)

function uiUrl(view?: string): string {
  return `${running?.url}/ui/#/${view ?? ''}`
}

function openWindow(view?: string): void {
  if (!running) return
  if (win && !win.isDestroyed()) {
    if (view) void win.loadURL(uiUrl(view))
    win.show()
    win.focus()
    return
  }
  const trusted = trustedUiUrl(`${running.url}/ui/`)
  win = new BrowserWindow({
    width: 1200,
    height: 800,
    show: false,
    title: 'Switchyard',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      preload: join(app.getAppPath(), 'dist', 'preload.cjs'),
    },
  })
  win.once('ready-to-show', () => win?.show())
  // Links out of the app open in the browser (https only), never inside the privileged window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isHttps(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e, url) => {
    if (trusted(url)) return
    e.preventDefault()
    if (isHttps(url)) void shell.openExternal(url)
  })
  win.webContents.on('will-redirect', (e, url) => {
    if (!trusted(url)) e.preventDefault()
  })
  // Closing the window keeps the app (and the gateway) in the tray.
  win.on('close', (e) => {
    if (quitting) return
    e.preventDefault()
    win?.hide()
  })
  void win.loadURL(uiUrl(view))
}

function harden(): void {
  const s = session.defaultSession
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  s.setPermissionCheckHandler(() => false)
  s.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [desktopCsp] } })
  })
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })
}

async function run(action: TrayAction): Promise<void> {
  const r = running
  if (!r) return
  try {
    switch (action.kind) {
      case 'open':
        return openWindow(action.view)
      case 'copy-base-url':
        return clipboard.writeText(`${r.url}/v1`)
      case 'pause':
      case 'resume':
        await r.control.invoke('gateway:setPaused', { paused: action.kind === 'pause' })
        break
      case 'claude-route':
        await r.control.invoke('claudeRoute:set', { name: action.name })
        break
      case 'top-up':
        await r.control.invoke('budgets:topUp', { scope: action.scope, id: action.id })
        break
      case 'quit':
        return app.quit()
    }
  } catch (err) {
    log.error('tray action failed', { action: action.kind, error: err })
  }
  await refreshTray()
}

async function refreshTray(): Promise<void> {
  const r = running
  if (!r || !tray) return
  try {
    const state = await readTrayState(r.control, r.url, Date.now(), lastError)
    const settings = await r.control.invoke('app:settings:get', {})
    notificationsOn = settings.notifications
    topUpMicros = settings.topUpMicros
    tray.setImage(trayImage(trayIcon(state)))
    tray.setToolTip(trayTooltip(state))
    tray.setContextMenu(Menu.buildFromTemplate(toTemplate(trayMenu(state), (a) => void run(a))))
  } catch (err) {
    log.error('could not refresh the tray', { error: err })
  }
}

function notify(n: Notice | null): void {
  if (!n || !Notification.isSupported()) return
  const topUp = n.topUp
  const note = new Notification({ title: n.title, body: n.body, ...(topUp ? { actions: [{ type: 'button', text: topUp.label }] } : {}) })
  note.on('click', () => openWindow(n.view))
  if (topUp) note.on('action', () => void run({ kind: 'top-up', scope: topUp.scope, id: topUp.id }))
  note.show()
}

async function checkExpiringKeys(r: Running, decide: ReturnType<typeof createNotificationPolicy>['decide']): Promise<void> {
  for (const ws of await r.control.invoke('workspaces:list', {})) {
    for (const k of await r.control.invoke('keys:list', { workspaceId: ws.id })) {
      if (k.revokedAt !== null) continue
      const d = await r.control.invoke('keys:get', { id: k.id })
      if (d.expiresAt !== null) notify(decide({ kind: 'keyExpiring', key: { id: d.id, name: d.name, expiresAt: d.expiresAt } }))
    }
  }
}

function wire(r: Running): void {
  const policy = createNotificationPolicy({ now: Date.now, enabled: () => notificationsOn, topUpMicros: () => topUpMicros })
  r.control.on('budget:thresholdCrossed', (alert) => notify(policy.decide({ kind: 'budget', alert })))
  r.control.on('target:circuitChanged', (change) => notify(policy.decide({ kind: 'circuit', change })))
  r.control.on('usage:recorded', (row) => {
    if (row.status >= 500 && row.providerSlug) notify(policy.decide({ kind: 'providerFailing', provider: `@${row.providerSlug}`, status: row.status }))
    scheduleRefresh()
  })
  for (const e of ['catalog:changed', 'gateway:stateChanged', 'budget:thresholdCrossed'] as const) r.control.on(e, () => scheduleRefresh())
  setInterval(() => void refreshTray(), 60_000).unref() // today's figures roll over at midnight
  setInterval(() => void checkExpiringKeys(r, policy.decide).catch((err: unknown) => log.error('key expiry check failed', { error: err })), 3_600_000).unref()
  void checkExpiringKeys(r, policy.decide).catch(() => undefined)
}

let refreshTimer: NodeJS.Timeout | null = null
function scheduleRefresh(): void {
  // Usage can arrive hundreds of times a second; the tray needs it at most every two seconds.
  refreshTimer ??= setTimeout(() => {
    refreshTimer = null
    void refreshTray()
  }, 2000)
}

/** Starts the core; on failure shows what happened and the CLI's choices, and retries with the one picked. */
async function startCore(): Promise<Running | null> {
  const dataDir = process.env.SWITCHYARD_DATA_DIR ?? defaultDataDir()
  const uiDir = join(app.getAppPath(), 'dist', 'renderer')
  let opts: StartOptions = {
    dataDir,
    port: Number(process.env.SWITCHYARD_PORT ?? 8787),
    insecureKeyFile: process.env.SWITCHYARD_INSECURE_KEY_FILE === '1',
    uiDir: existsSync(join(uiDir, 'index.html')) ? uiDir : null,
    loginItem: electronLoginItem(),
    keychain: migratingKeyStore(sealedFileStore(join(dataDir, 'vault.key.sealed'), safeStorageSealer), keychainStore(), (note) => log.warn(note)),
  }
  for (;;) {
    try {
      return await startSwitchyard(opts)
    } catch (err) {
      log.error('Switchyard could not start', { error: err })
      const d = startupDialog(err, { port: opts.port ?? 8787, dataDir, keyFilePath: join(dataDir, 'vault.key') })
      const picked = dialog.showMessageBoxSync({ type: 'error', title: d.title, message: d.message, detail: d.detail, buttons: d.choices.map((c) => c.label), defaultId: d.defaultIndex, cancelId: d.choices.length - 1, noLink: true })
      const choice = d.choices[picked]
      if (!choice || choice.kind === 'quit') return null
      opts = { ...opts, ...choice.with }
    }
  }
}

async function main(): Promise<void> {
  await app.whenReady()
  harden()
  running = await startCore()
  if (!running) return app.exit(1)
  const r = running
  const ipc = attachIpcTransport(r.control, ipcMain, { isTrustedUrl: trustedUiUrl(`${r.url}/ui/`) })
  tray = new Tray(trayImage('running'))
  tray.on('click', () => openWindow())
  wire(r)
  await refreshTray()
  app.on('second-instance', () => openWindow())
  app.on('window-all-closed', () => {
    // Stay in the tray: the gateway keeps serving with no window open.
  })
  app.on('before-quit', (e) => {
    quitting = true
    if (!running) return
    e.preventDefault()
    running = null
    ipc.detach()
    void r.stop().finally(() => app.exit(0))
  })
  // Launched at login: start in the tray only.
  if (!process.argv.includes('--hidden')) openWindow()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  main().catch((err: unknown) => {
    log.error('Switchyard could not start', { error: err })
    lastError = err instanceof Error ? err.message : String(err)
    dialog.showErrorBox("Switchyard couldn't start", lastError)
    app.exit(1)
  })
}
