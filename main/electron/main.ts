/**
 * The desktop shell: runs the same core as `serve` inside Electron's main process, puts Switchyard in
 * the tray and opens the window on the web UI. The only folder that imports electron. Thin on
 * purpose: everything it shows comes from the core and the renderer; the typed IPC transport of the
 * Control API replaces the HTTP one here in a later step.
 */
import { app, BrowserWindow, clipboard, Menu, nativeImage, shell, Tray } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { defaultDataDir } from '../dataDir.ts'
import { log } from '../log.ts'
import { startSwitchyard, type Running } from '../startSwitchyard.ts'

// A 16×16 switch glyph; a real icon set ships with the installer.
const trayIcon =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAMElEQVR4nGOI9n/AQAmmSDMuA/4PmAH/ScSD0AuDJxrxYQzvUdUAqkXjwHlhYKIRAFXvqfANT+wpAAAAAElFTkSuQmCC'

let running: Running | null = null
let tray: Tray | null = null
let win: BrowserWindow | null = null

function openWindow(): void {
  if (!running) return
  if (win && !win.isDestroyed()) return win.show()
  win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Switchyard',
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  })
  // Links out of the app open in the browser, never inside the privileged window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e, url) => {
    if (running && !url.startsWith(`${running.url}/ui/`)) e.preventDefault()
  })
  void win.loadURL(running.adminUrl)
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit()
  await app.whenReady()
  const uiDir = join(app.getAppPath(), 'dist', 'renderer')
  running = await startSwitchyard({
    dataDir: process.env.SWITCHYARD_DATA_DIR ?? defaultDataDir(),
    port: Number(process.env.SWITCHYARD_PORT ?? 8787),
    uiDir: existsSync(join(uiDir, 'index.html')) ? uiDir : null,
  })
  const gatewayUrl = running.url
  tray = new Tray(nativeImage.createFromDataURL(trayIcon))
  tray.setToolTip(`Switchyard: ${gatewayUrl}`)
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: `Gateway on ${gatewayUrl}`, enabled: false },
      { label: 'Open Switchyard', click: openWindow },
      { label: 'Copy base URL', click: () => clipboard.writeText(`${gatewayUrl}/v1`) },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  )
  tray.on('click', openWindow)
  app.on('second-instance', openWindow)
  app.on('window-all-closed', () => {
    // Stay in the tray: the gateway keeps serving with no window open.
  })
  app.on('before-quit', (e) => {
    if (!running) return
    e.preventDefault()
    const r = running
    running = null
    void r.stop().finally(() => app.exit(0))
  })
  openWindow()
}

main().catch((err: unknown) => {
  log.error('Switchyard could not start', { error: err })
  app.exit(1)
})
