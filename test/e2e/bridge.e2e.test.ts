/**
 * The web UI end to end over the desktop bridge instead of HTTP: real Chromium, the app's core
 * in-process (as in the Electron main process), the preload's bridge injected into the page as the
 * preload would, main's real IPC transport behind it. The page has no admin token, so every Control
 * API call must go over the bridge; then the same journey as over HTTP (uiJourney.ts), and an event
 * pushed from main (pause from the "tray") updates the open Status view.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { attachIpcTransport, trustedUiUrl } from '../../main/control/ipcTransport.ts'
import { startSwitchyard, type Running } from '../../main/startSwitchyard.ts'
import { injectBridge } from './injectBridge.ts'
import { buildRenderer, repoRoot } from './startServe.ts'
import { defineUiJourney } from './uiJourney.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

describe('web UI over the desktop bridge', { timeout: 180_000 }, () => {
  let running: Running
  let dataDir: string
  let browser: Browser
  let page: Page
  let detach: () => void
  let apiBodies: string[] = []
  const httpAdminCalls: string[] = []
  const pageErrors: string[] = []

  before(async () => {
    buildRenderer()
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bridge-e2e-'))
    running = await startSwitchyard({ dataDir, port: 0, insecureKeyFile: true, uiDir: join(repoRoot, 'dist', 'renderer') })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' })
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('request', (req) => {
      if (req.url().includes('/admin/')) httpAdminCalls.push(req.url())
    })
    const { ipcMain, answers } = await injectBridge(page)
    detach = attachIpcTransport(running.control, ipcMain, { isTrustedUrl: trustedUiUrl(`${running.url}/ui/`) }).detach
    apiBodies = answers // the journey's secret checks read every answer that crossed the bridge
  })

  after(async () => {
    detach?.()
    await browser?.close()
    await running?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  test('the window opens on the UI without any token: the bridge is the transport', async () => {
    await page.goto(`${running.url}/ui/`)
    await page.getByRole('heading', { name: 'Integrations' }).waitFor()
    await page.getByText('No integrations yet').waitFor()
    await page.getByRole('alert').filter({ hasText: 'vault key' }).first().waitFor()
    assert.equal(await page.evaluate(() => sessionStorage.getItem('switchyard.adminToken')), null)
    assert.deepEqual(await page.evaluate(() => Object.keys((window as unknown as { switchyard: object }).switchyard).sort()), ['invoke', 'on'])
  })

  defineUiJourney(() => ({
    page,
    url: running.url,
    admin: (name, input) =>
      running.control.invoke(name as never, input ?? {}).then(
        (value) => ({ ok: true, value }),
        (e: { code?: string; message?: string }) => ({ ok: false, error: { code: e.code, message: e.message } }),
      ),
    apiBodies,
    shots: 'ui-bridge',
  }))

  test('pausing from main (the tray) reaches the open window as an event', async () => {
    await page.getByRole('link', { name: 'Status' }).click()
    await page.getByRole('heading', { name: 'Status' }).waitFor()
    const before = await page.evaluate(() => (window as unknown as { switchyard: { invoke(n: string, i: unknown): Promise<unknown> } }).switchyard.invoke('gateway:state', {}))
    assert.deepEqual(before, { ok: true, value: { paused: false, pausedAt: null } })
    const seen = page.evaluate(
      () => new Promise((resolve) => (window as unknown as { switchyard: { on(e: string, f: (p: unknown) => void): void } }).switchyard.on('gateway:stateChanged', resolve)),
    )
    await page.waitForTimeout(100) // the subscription crosses first
    await running.control.invoke('gateway:setPaused', { paused: true })
    assert.deepEqual(((await seen) as { paused: boolean }).paused, true)
    await running.control.invoke('gateway:setPaused', { paused: false })
  })

  test('no Control API call went over HTTP, and no uncaught errors in the page', () => {
    assert.deepEqual(httpAdminCalls, [])
    assert.deepEqual(pageErrors, [])
  })
})
