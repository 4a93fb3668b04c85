/**
 * Usage analytics and logs end to end, in real Chromium against the real headless server
 * (`main/cli.ts serve`) and a local OpenAI-shaped upstream: requests sent with the `openai` SDK show
 * up in the Logs list and the Usage charts within two seconds and without a reload (server-sent
 * events); the detail drawer, grouping by project, the CSV export (no secret in it), screenshots of
 * both views in both themes (test-results/), and an axe-core scan with no serious or critical issue.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { buildRenderer, repoRoot, startServe, type Served } from './startServe.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const SHOTS = join(repoRoot, 'test-results')
const UPSTREAM_KEY = `sk-analytics-e2e-${Date.now().toString(36)}-SECRET`

type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown; any: Array<{ data: unknown }> }> }> }

describe('usage analytics and logs against `serve`', { timeout: 240_000 }, () => {
  let served: Served
  let upstream: Upstream
  let browser: Browser
  let page: Page
  let client: OpenAI
  let apiKey = ''
  let navigations = 0
  const pageErrors: string[] = []

  before(async () => {
    mkdirSync(SHOTS, { recursive: true })
    buildRenderer()
    upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
    served = await startServe()
    const created = (await served.admin('integrations:create', { slug: 'openai-e2e', kind: 'openai', apiKey: UPSTREAM_KEY, settings: { baseUrl: upstream.url } })) as { ok: boolean }
    assert.equal(created.ok, true, JSON.stringify(created))
    const key = (await served.admin('keys:create', { name: 'analytics-e2e' })) as { ok: boolean; value: { key: string } }
    apiKey = key.value.key
    client = new OpenAI({ baseURL: `${served.url}/v1`, apiKey, maxRetries: 0 })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', acceptDownloads: true })
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++
    })
  })

  after(async () => {
    await browser?.close()
    await served?.stop()
    await upstream?.close()
  })

  const ask = (content: string, metadata: Record<string, string>) =>
    client.chat.completions.create({ model: '@openai-e2e/gpt-4o', messages: [{ role: 'user', content }] }, { headers: { 'x-portkey-metadata': JSON.stringify(metadata) } })

  async function scan(name: string): Promise<void> {
    // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
    await page.evaluate(`${readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')}\n;0`)
    const result = (await page.evaluate(() => (window as unknown as { axe: { run(d: Document): Promise<unknown> } }).axe.run(document))) as AxeResult
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 4).map((n) => [n.target, n.any[0]?.data]))}`), [], `${name}: axe found serious/critical issues`)
  }

  test('a request made with the openai SDK appears in Logs within two seconds, without a reload', async () => {
    await page.goto(served.adminUrl)
    await page.getByRole('link', { name: 'Logs' }).click()
    await page.getByRole('heading', { name: 'Logs' }).waitFor()
    await page.getByText('No requests yet').waitFor()
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor()
    const before = navigations
    const sent = Date.now()
    await ask('first light', { project: 'switchyard', branch: 'main' })
    await page.getByRole('row').filter({ hasText: 'gpt-4o' }).first().waitFor({ timeout: 2000 })
    const seenAfter = Date.now() - sent
    assert.ok(seenAfter < 2000, `row visible after ${seenAfter} ms`)
    assert.equal(navigations, before, 'no reload')
    console.log(`logs: row visible ${seenAfter} ms after the SDK call was sent`)
  })

  test('the detail drawer shows route, timing, tokens, cost and metadata', async () => {
    await page.getByRole('row').filter({ hasText: 'gpt-4o' }).first().click()
    const drawer = page.getByRole('dialog')
    await drawer.waitFor()
    await drawer.getByText('@openai-e2e').waitFor()
    await drawer.getByText('Time to first byte').waitFor()
    await drawer.getByText('switchyard', { exact: true }).waitFor()
    await drawer.getByText('No guardrail fired on this request.').waitFor()
    await drawer.getByTestId('bodies-not-captured').waitFor()
    await page.screenshot({ path: join(SHOTS, 'logs-light.png') })
    await scan('Logs (light)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(SHOTS, 'logs-dark.png') })
    await scan('Logs (dark)')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'detached' })
  })

  test('search narrows the list on the server', async () => {
    await ask('second', { project: 'other-project', branch: 'feature/x' })
    await page.getByRole('row').filter({ hasText: 'other-project' }).waitFor({ timeout: 2000 })
    await page.getByRole('searchbox').fill('feature/x')
    await page.getByText('1 requests').waitFor()
    await page.getByRole('searchbox').fill('')
    await page.getByText('2 requests').waitFor()
  })

  test('Usage charts and figures update live within two seconds; grouping by project; CSV without secrets', async () => {
    await page.getByRole('link', { name: 'Usage' }).click()
    await page.getByRole('heading', { name: 'Usage' }).waitFor()
    await page.getByRole('img', { name: /^Cost over time/ }).waitFor()
    const requestsCard = page.locator('.stat').filter({ hasText: 'Requests' }).locator('.stat-value')
    await page.waitForFunction(() => document.querySelector('.stat-value')?.textContent === '2')
    const before = navigations
    const sent = Date.now()
    await ask('third', { project: 'switchyard', branch: 'main' })
    await page.waitForFunction(() => document.querySelector('.stat-value')?.textContent === '3', undefined, { timeout: 2000 })
    const seenAfter = Date.now() - sent
    assert.equal(await requestsCard.textContent(), '3')
    assert.equal(navigations, before, 'no reload')
    console.log(`usage: figures updated ${seenAfter} ms after the SDK call was sent`)
    await page.getByLabel('Group by', { exact: true }).selectOption('project')
    const table = page.getByRole('table', { name: 'Usage by project' })
    await table.getByRole('row').filter({ hasText: 'switchyard' }).waitFor()
    await table.getByRole('row').filter({ hasText: 'other-project' }).waitFor()
    await page.getByRole('img', { name: /^Latency over time: p50/ }).waitFor()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const csv = readFileSync(await download.path(), 'utf8')
    assert.match(csv, /^bucket_start,group,requests,errors,error_rate/)
    assert.match(csv, /,switchyard,2,0,0,/)
    for (const secret of [UPSTREAM_KEY, apiKey, served.adminToken]) assert.equal(csv.includes(secret), false, 'a secret is in the CSV')
    await page.screenshot({ path: join(SHOTS, 'usage-light.png'), fullPage: true })
    await scan('Usage (light)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(SHOTS, 'usage-dark.png'), fullPage: true })
    await scan('Usage (dark)')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test('filtering by provider and by a metadata value', async () => {
    await page.getByLabel('Group by', { exact: true }).selectOption('')
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Project', { exact: true }).selectOption('other-project')
    await page.waitForFunction(() => document.querySelector('.stat-value')?.textContent === '1')
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Project', { exact: true }).selectOption('')
    await page.getByLabel('Metadata key').selectOption('branch')
    await page.getByLabel('Metadata value').fill('main')
    await page.getByLabel('Metadata value').press('Enter')
    await page.waitForFunction(() => document.querySelector('.stat-value')?.textContent === '2')
    assert.deepEqual(pageErrors, [])
  })

  test('with body capture on, the drawer shows the request and response, secrets redacted', async () => {
    const set = (await served.admin('settings:set', { bodyCapture: true })) as { ok: boolean }
    assert.equal(set.ok, true, JSON.stringify(set))
    const pasted = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'
    await page.getByRole('link', { name: 'Logs' }).click()
    await page.getByRole('heading', { name: 'Logs' }).waitFor()
    await ask(`captured ${pasted}`, { project: 'capture' })
    await page.getByRole('row').filter({ hasText: 'capture' }).first().click()
    const drawer = page.getByRole('dialog')
    await drawer.getByText('Request (as sent upstream)').click()
    await drawer.getByText('Response (as the client received it)').click()
    const texts = drawer.locator('pre.body-text')
    await texts.nth(1).waitFor()
    const [request, response] = [await texts.nth(0).textContent(), await texts.nth(1).textContent()]
    assert.match(request ?? '', /"content": "captured \[REDACTED_OPENAI_KEY_1\]"/)
    assert.match(response ?? '', /Hello from gpt-4o: captured \[REDACTED_OPENAI_KEY_1\]/)
    const shown = await drawer.textContent()
    for (const secret of [pasted, UPSTREAM_KEY, apiKey, served.adminToken]) assert.equal(shown?.includes(secret), false, 'a secret is in the drawer')
    await drawer.getByRole('button', { name: 'Copy request' }).waitFor()
    await page.screenshot({ path: join(SHOTS, 'logs-bodies-light.png') })
    await scan('Logs with bodies (light)')
    assert.deepEqual(pageErrors, [])
  })

  test('the drawer lists the route a config took: the target that failed, then the one that answered', async () => {
    const config = { strategy: { mode: 'fallback' }, targets: [{ provider: '@openai-e2e', override_params: { model: 'error-500' } }, { provider: '@openai-e2e' }] }
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fall back' }] }, { headers: { 'x-portkey-config': JSON.stringify(config) } })
    await page.getByRole('link', { name: 'Logs' }).click()
    await page.getByRole('row').filter({ hasText: 'gpt-4o-mini' }).first().click()
    const route = page.getByRole('dialog').getByRole('list', { name: 'Targets tried' })
    await route.waitFor()
    const items = await route.getByRole('listitem').allInnerTexts()
    assert.equal(items.length, 2)
    assert.match(items[0] ?? '', /@openai-e2e\/error-500 \(config\.targets\[0\]\) — HTTP 500/)
    assert.match(items[1] ?? '', /@openai-e2e\/gpt-4o-mini \(config\.targets\[1\]\) — HTTP 200/)
    assert.deepEqual(pageErrors, [])
  })
})
