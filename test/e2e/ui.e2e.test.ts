/**
 * The web UI end to end, in real Chromium against the real headless server (`main/cli.ts serve`):
 * sign in through the printed admin link, then the shared journey (uiJourney.ts): add an OpenAI integration (key write-only), create the
 * `@openai-test` provider, look at its models, save a routing config (after its validation errors
 * are listed by path), create an API key that is shown exactly once, and
 * read the Status and Usage screens. Secrets are checked for in the page HTML, in browser storage
 * and in every Control API response the page received. Screenshots go to /tmp/ui-*.png.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { buildRenderer, startServe, type Served } from './startServe.ts'
import { defineUiJourney } from './uiJourney.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]


describe('web UI against `serve`', { timeout: 180_000 }, () => {
  let served: Served
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** Bodies of every /admin/api response the page received. */
  const apiBodies: string[] = []
  const pageErrors: string[] = []

  before(async () => {
    buildRenderer()
    served = await startServe()
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    context = await browser.newContext({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' })
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('response', (res) => {
      if (!res.url().includes('/admin/api/')) return
      res.text().then(
        (body) => apiBodies.push(body),
        () => undefined,
      )
    })
  })

  after(async () => {
    await browser?.close()
    await served?.stop()
  })

  test('the admin link signs in and the token leaves the address bar', async () => {
    await page.goto(served.adminUrl)
    await page.getByRole('heading', { name: 'Integrations' }).waitFor()
    assert.equal(page.url().includes('token'), false, `address bar still has the token: ${page.url()}`)
    const stored = await page.evaluate(() => sessionStorage.getItem('switchyard.adminToken'))
    assert.equal(stored, served.adminToken)
    await page.getByText('No integrations yet').waitFor()
    await page.getByText('Add an integration to start routing').waitFor()
    // The key-file vault warning is shown on every screen.
    await page.getByRole('alert').filter({ hasText: 'vault key' }).first().waitFor()
  })

  defineUiJourney(() => ({ page, url: served.url, admin: (name, input) => served.admin(name, input), apiBodies, shots: 'ui' }))

  test('no uncaught errors in the page', () => {
    assert.deepEqual(pageErrors, [])
  })
})
