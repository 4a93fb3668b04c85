/**
 * The window's views end to end, in real Chromium against the real headless server and a local
 * OpenAI-compatible upstream: connect an integration through the wizard (custom host, connection
 * test, provisioning, models), create a key and call it with the `openai` SDK; edit a routing config
 * and see the next request follow it (and the dry run say so); set a budget, exceed it, see the
 * Blocked gauge and the client's error; apply and restore Claude Code's settings in a throwaway HOME.
 * Then every view in light and dark: a screenshot (test-results/screenshots/) and an axe-core scan
 * with no serious or critical violation.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts'
import type { Upstream } from '../support/upstreams/upstreamServer.ts'
import { buildRenderer, repoRoot, startServe, type Served } from './startServe.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
const UPSTREAM_KEY = `sk-upstream-e2e-${Date.now().toString(36)}ABCD`
const SHOTS = join(repoRoot, 'test-results', 'screenshots')

/** Every screen of the window, by nav label and heading. */
const views: Array<{ route: string; link: string; heading: string }> = [
  { route: 'integrations', link: 'Integrations', heading: 'Integrations' },
  { route: 'connect', link: 'Connect provider', heading: 'Connect a provider' },
  { route: 'providers', link: 'Providers', heading: 'AI providers' },
  { route: 'models', link: 'Models', heading: 'Models' },
  { route: 'configs', link: 'Configs', heading: 'Configs' },
  { route: 'routing', link: 'Routing', heading: 'Routing' },
  { route: 'workspaces', link: 'Workspaces', heading: 'Workspaces' },
  { route: 'keys', link: 'API keys', heading: 'API keys' },
  { route: 'budgets', link: 'Budgets & limits', heading: 'Budgets & limits' },
  { route: 'guardrails', link: 'Guardrails & network', heading: 'Guardrails & network' },
  { route: 'tools', link: 'Connect a tool', heading: 'Connect a tool' },
  { route: 'usage', link: 'Usage', heading: 'Usage' },
  { route: 'status', link: 'Status', heading: 'Status' },
  { route: 'settings', link: 'Settings', heading: 'Settings' },
]

describe('the window, view by view, against `serve`', { timeout: 300_000 }, () => {
  let served: Served
  let upstream: Upstream
  let browser: Browser
  let page: Page
  let home: string
  let key = ''
  const apiBodies: string[] = []
  const pageErrors: string[] = []

  const go = async (link: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: link, exact: true }).click()
    await page.getByRole('heading', { name: heading, exact: true, level: 1 }).waitFor()
  }

  const client = (k = key) => new OpenAI({ baseURL: `${served.url}/v1`, apiKey: k, maxRetries: 0 })

  before(async () => {
    buildRenderer()
    home = mkdtempSync(join(tmpdir(), 'switchyard-e2e-home-'))
    upstream = await startOpenAIUpstream({ apiKey: UPSTREAM_KEY })
    served = await startServe({ env: { HOME: home } })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light', bypassCSP: true })
    page = await context.newPage()
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('response', (res) => {
      if (res.url().includes('/admin/api/')) res.text().then((b) => apiBodies.push(b), () => undefined)
    })
    mkdirSync(SHOTS, { recursive: true })
  })

  after(async () => {
    await browser?.close()
    await served?.stop()
    await upstream?.close()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  test('connect through the wizard: custom host, a connection test that lists models, provision, models', async () => {
    await page.goto(served.adminUrl)
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor()
    await go('Connect provider', 'Connect a provider')
    await page.getByLabel('Search providers').fill('openai')
    await page.getByRole('list', { name: 'Supported providers' }).getByRole('button', { name: /^OpenAI\s*API key$/ }).click()
    const form = page.getByRole('form', { name: 'Connect provider' })
    const slug = form.getByLabel('Slug')
    await slug.fill('Bad Slug')
    await form.getByText('Use lowercase letters').waitFor() // live validation
    await slug.fill('local')
    const keyInput = form.getByLabel('API key')
    assert.equal(await keyInput.getAttribute('type'), 'password')
    await keyInput.fill(UPSTREAM_KEY)
    await form.getByRole('switch', { name: /Custom host/ }).check()
    await form.getByLabel(/Base URL/).fill(upstream.url)
    await form.getByRole('button', { name: 'Connect' }).click()

    const testCard = page.getByRole('group', { name: 'Connection test' })
    await testCard.getByRole('button', { name: 'Test connection' }).click()
    await testCard.getByRole('list', { name: 'Models found' }).getByText('gpt-4o-mini', { exact: true }).waitFor()
    assert.equal(upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).length, 0, 'the test spent no tokens')
    assert.ok(upstream.requests.some((r) => r.path.endsWith('/models')))
    await page.screenshot({ path: join(SHOTS, 'journey-wizard-test.png'), fullPage: true })

    await testCard.getByRole('button', { name: 'Next: provision' }).click()
    const prov = page.getByRole('group', { name: 'Provision to workspaces' })
    const box = prov.getByRole('checkbox', { name: 'Provision to default' })
    if (!(await box.isChecked())) await box.check()
    await prov.getByRole('button', { name: 'Next: choose models' }).click()
    const models = page.getByRole('group', { name: 'Choose models' })
    await models.getByRole('list', { name: 'Models' }).getByText('gpt-4o', { exact: true }).waitFor()
    await models.getByRole('button', { name: 'Finish' }).click()
    await page.getByRole('status', { name: 'Connected' }).getByText('@local is ready').waitFor()
  })

  test('create a key (shown once), restrict it in its settings, and call it with the openai SDK', async () => {
    await page.getByRole('button', { name: 'Create an API key' }).click()
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor()
    const form = page.getByRole('form', { name: 'Create API key' })
    await form.getByLabel('Key name').fill('views-e2e')
    await form.getByRole('button', { name: 'Create key' }).click()
    key = await page.getByLabel('New API key value').inputValue()
    assert.match(key, /^sy-/)
    await page.getByRole('button', { name: 'Done' }).click()

    await page.getByRole('button', { name: 'Settings of views-e2e' }).click()
    const settings = page.getByRole('form', { name: 'Settings of key views-e2e' })
    await settings.getByLabel('Default metadata (JSON)').fill('{"team": "e2e"}')
    await settings.getByRole('button', { name: 'Save key settings' }).click()
    await settings.getByText('Key settings saved').waitFor()
    await page.screenshot({ path: join(SHOTS, 'journey-key-settings.png'), fullPage: true })
    await settings.getByRole('button', { name: 'Close' }).click()

    const r = await client().chat.completions.create({ model: '@local/gpt-4o', messages: [{ role: 'user', content: 'hello' }] })
    assert.ok(r.choices[0]?.message.content)
    const last = upstream.requests.at(-1)
    assert.equal((last?.body as { model: string }).model, 'gpt-4o')
    assert.equal(last?.headers.authorization, `Bearer ${UPSTREAM_KEY}`)

    // The catalog: the exact model string, its price source, ready-to-copy snippets.
    await go('Models', 'Models')
    await page.getByRole('combobox', { name: 'Provider' }).selectOption('local')
    await page.getByRole('button', { name: 'Use it: gpt-4o', exact: true }).click()
    const detail = page.getByRole('region', { name: '@local/gpt-4o details' })
    await detail.getByRole('tab', { name: 'OpenAI SDK (Python)' }).click()
    const snippet = await detail.getByRole('tabpanel').innerText()
    assert.match(snippet, /base_url="http:\/\/127\.0\.0\.1:\d+\/v1"/)
    assert.match(snippet, /model="@local\/gpt-4o"/)
    await page.screenshot({ path: join(SHOTS, 'journey-catalog.png'), fullPage: true })
  })

  test('edit a routing config: the dry run and the next request follow it; history diffs and restores', async () => {
    await go('Configs', 'Configs')
    await page.getByRole('button', { name: 'Create config' }).click()
    const form = page.getByRole('form', { name: 'Create config' })
    await form.getByLabel('Slug').fill('route-e2e')
    await form.getByLabel('Config (JSON)').fill(JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: '@local', override_params: { model: 'gpt-4o-mini' } }] }))
    await form.getByRole('button', { name: 'Create config' }).click()
    await page.getByRole('table', { name: 'Configs' }).getByRole('row').filter({ hasText: 'route-e2e' }).waitFor()

    const withConfig = { headers: { 'x-portkey-config': 'route-e2e' } }
    await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one' }] }, withConfig)
    assert.equal((upstream.requests.at(-1)?.body as { model: string }).model, 'gpt-4o-mini')

    const row = page.getByRole('table', { name: 'Configs' }).getByRole('row').filter({ hasText: 'route-e2e' })
    await row.getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('form', { name: 'Edit config route-e2e' })
    await edit.getByLabel('Config (JSON)').fill(JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: '@local', override_params: { model: 'gpt-4o' } }] }))
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await row.getByText('v2').waitFor()

    await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'two' }] }, withConfig)
    assert.equal((upstream.requests.at(-1)?.body as { model: string }).model, 'gpt-4o', 'the next request follows the edited config')

    await go('Routing', 'Routing')
    const dry = page.getByRole('form', { name: 'Dry run' })
    await dry.getByRole('button', { name: 'Plan request' }).click()
    await dry.getByRole('list', { name: 'Planned attempts' }).getByText('@local/gpt-4o', { exact: true }).waitFor()
    const history = page.getByRole('group', { name: 'Version history' })
    const diff = history.getByRole('region', { name: 'Changes from v1 to v2' })
    await diff.getByText('"model": "gpt-4o-mini"').waitFor()
    await page.screenshot({ path: join(SHOTS, 'journey-routing.png'), fullPage: true })
    await history.getByRole('button', { name: 'Restore v1' }).click()
    await page.getByRole('combobox', { name: 'Config' }).getByText('route-e2e (v3)').waitFor({ state: 'attached' })
    await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'three' }] }, withConfig)
    assert.equal((upstream.requests.at(-1)?.body as { model: string }).model, 'gpt-4o-mini', 'restored v1 routes again')

    // Aliases: add, test a name, save.
    const aliases = page.getByRole('group', { name: 'Model aliases' })
    await aliases.getByLabel('Pattern').fill('fast-*')
    await aliases.getByLabel('Target').fill('@local/gpt-4o-mini')
    await aliases.getByRole('button', { name: 'Add alias' }).click()
    await aliases.getByLabel('Pattern').fill('fast-exact')
    await aliases.getByLabel('Target').fill('@local/gpt-4o')
    await aliases.getByRole('button', { name: 'Add alias' }).click()
    await aliases.getByRole('button', { name: 'Move fast-exact up' }).click()
    await aliases.getByLabel('Test a model name').fill('fast-exact')
    await aliases.getByText('Alias 1 →').waitFor()
    await aliases.getByRole('button', { name: 'Save aliases' }).click()
    await aliases.getByText('unsaved').waitFor({ state: 'detached' })
    await client().chat.completions.create({ model: 'fast-exact', messages: [{ role: 'user', content: 'alias' }] })
    assert.equal((upstream.requests.at(-1)?.body as { model: string }).model, 'gpt-4o', 'the reordered alias wins')
  })

  test('set a budget, exceed it: the gauge says Blocked and the client gets budget_exceeded', async () => {
    await go('Budgets & limits', 'Budgets & limits')
    await page.getByText('No budgets or limits yet').waitFor()
    const form = page.getByRole('form', { name: 'Set a limit' })
    await form.getByLabel('Scope').selectOption({ label: 'Workspace Default' })
    await form.getByLabel(/Budget \(USD/).fill('0.000001')
    await form.getByRole('button', { name: 'Save limits' }).click()
    const gauge = page.getByRole('group', { name: /^workspace 'default' budget .* gauge$/ })
    await gauge.getByText('Blocked').waitFor() // the spend so far already exceeds a one-micro-dollar budget
    await gauge.getByText('budget_exceeded').waitFor()
    await page.screenshot({ path: join(SHOTS, 'journey-budget-blocked.png'), fullPage: true })

    const err = await client()
      .chat.completions.create({ model: '@local/gpt-4o', messages: [{ role: 'user', content: 'over' }] })
      .then(() => null, (e: unknown) => e as { status?: number; code?: string; error?: { code?: string } })
    assert.ok(err, 'the call over budget was refused')
    assert.equal(err.status, 412)
    assert.equal(err.code ?? err.error?.code, 'budget_exceeded')

    // Edit in place: raising the budget unblocks.
    await gauge.getByRole('button', { name: /^Edit / }).click()
    const editForm = page.getByRole('form', { name: /^Edit limits of/ })
    await editForm.getByLabel(/Budget \(USD/).fill('100')
    await editForm.getByRole('button', { name: 'Save limits' }).click()
    await gauge.getByText('Open', { exact: true }).waitFor()
    await client().chat.completions.create({ model: '@local/gpt-4o', messages: [{ role: 'user', content: 'again' }] })
  })

  test('guardrail test box shows what would be redacted; network allow-list saves', async () => {
    await go('Guardrails & network', 'Guardrails & network')
    const box = page.getByRole('form', { name: 'Test guardrails' })
    await box.getByRole('button', { name: 'Run checks' }).click()
    const result = box.getByRole('status', { name: 'Guardrail result' })
    await result.getByText(/REDACTED_/).waitFor()
    assert.equal((await result.getByLabel('Text after guardrails').innerText()).includes('sk-proj-abcdefghij'), false)
    await page.getByRole('form', { name: 'Allow a host' }).getByLabel('Host, IP or CIDR').fill('192.168.7.0/24')
    await page.getByRole('button', { name: 'Allow host' }).click()
    await page.getByRole('list', { name: 'Allowed hosts' }).getByText('192.168.7.0/24').waitFor()
    const net = (await served.admin('network:get')) as { value: { allowHosts: string[] } }
    assert.deepEqual(net.value.allowHosts, ['192.168.7.0/24'])
  })

  test("connect a tool: preview the diff, apply Claude Code's settings with a backup, restore the original", async () => {
    const file = join(home, '.claude', 'settings.json')
    mkdirSync(join(home, '.claude'), { recursive: true })
    const original = '{\n  "theme": "dark"\n}\n'
    writeFileSync(file, original)
    await go('Connect a tool', 'Connect a tool')
    const panel = page.getByRole('tabpanel', { name: 'Claude Code' })
    await panel.getByLabel(/Switchyard API key/).fill(key)
    await panel.getByLabel('Model (optional)').fill('@local/gpt-4o')
    await panel.getByRole('button', { name: 'Preview change' }).click()
    const diff = page.getByRole('region', { name: `Changes to ${file}` })
    await diff.getByText('"ANTHROPIC_BASE_URL"', { exact: false }).waitFor()
    assert.equal((await diff.innerText()).includes(key), false, 'the key is masked in the preview')
    await page.screenshot({ path: join(SHOTS, 'journey-tool-preview.png'), fullPage: true })
    await panel.getByRole('button', { name: 'Apply' }).click()
    await panel.getByText(/Wrote/).waitFor()
    const written = JSON.parse(readFileSync(file, 'utf8')) as { theme: string; env: Record<string, string> }
    assert.equal(written.theme, 'dark')
    assert.equal(written.env.ANTHROPIC_BASE_URL, served.url)
    assert.equal(written.env.ANTHROPIC_AUTH_TOKEN, key)
    await panel.getByRole('button', { name: 'Restore backup' }).click()
    await panel.getByText(/Restored/).waitFor()
    assert.equal(readFileSync(file, 'utf8'), original)
    assert.equal(existsSync(`${file}.switchyard-backup`), false)
  })

  test('settings: an exposed host warns; launch at login is a switch that persists', async () => {
    await go('Settings', 'Settings')
    const address = page.getByRole('form', { name: 'Gateway address' })
    await address.getByLabel('Host').fill('0.0.0.0')
    await address.getByRole('alert').getByText(/reachable from other machines/).waitFor()
    await address.getByLabel('Host').fill('127.0.0.1')
    await page.getByRole('switch', { name: /Launch at login/ }).click()
    await page.getByRole('status').getByText('Settings saved.').waitFor()
    assert.equal(await page.getByRole('switch', { name: /Launch at login/ }).isChecked(), true)
    const s = (await served.admin('settings:get')) as { value: { launchAtLogin: boolean } }
    assert.equal(s.value.launchAtLogin, true)
  })

  test('integrations: connected, workspace-created and all-providers lists; edit settings; delete names what goes with it', async () => {
    await go('Integrations', 'Integrations')
    const tabs = page.getByRole('tablist', { name: 'Integration lists' })
    await page.getByRole('table', { name: 'Integrations' }).getByRole('row').filter({ hasText: 'local' }).waitFor()
    await tabs.getByRole('tab', { name: 'Workspace-created' }).click()
    await page.getByText('Nothing created in this workspace').waitFor()
    await tabs.getByRole('tab', { name: 'All providers' }).click()
    const all = page.getByRole('tabpanel', { name: 'All providers' })
    await all.getByLabel('Search providers').fill('ollama')
    await all.getByRole('table', { name: 'Supported providers' }).getByRole('row').filter({ hasText: 'Ollama' }).waitFor()
    await tabs.getByRole('tab', { name: 'Connected' }).click()
    const row = page.getByRole('table', { name: 'Integrations' }).getByRole('row').filter({ hasText: 'local' }).first()
    await row.getByRole('button', { name: 'Edit local' }).click()
    const edit = page.getByRole('form', { name: 'Edit local' })
    await edit.getByLabel('Name', { exact: true }).fill('Local upstream')
    await edit.getByRole('button', { name: 'Save settings' }).click()
    await page.getByRole('table', { name: 'Integrations' }).getByText('Local upstream').waitFor()
    await row.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Delete integration and 1 provider' }).waitFor()
    await page.getByRole('button', { name: 'Cancel' }).click()
  })

  test('every view in light and dark: screenshots and no serious or critical axe violation', async () => {
    if (!page.url().includes('/ui')) await page.goto(served.adminUrl) // when run alone
    const axeSource = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
    const problems: string[] = []
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      for (const v of views) {
        await go(v.link, v.heading)
        // Not 'networkidle': the live events stream (GET /admin/events) keeps a request open for good.
        await page.getByText('Loading…', { exact: true }).first().waitFor({ state: 'hidden', timeout: 10_000 })
        await page.waitForTimeout(150)
        await page.screenshot({ path: join(SHOTS, `${v.route}-${scheme}.png`), fullPage: true })
        if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe
          const r = await axe.run(document, { resultTypes: ['violations'] })
          return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.id} (${x.impact}) ${JSON.stringify(x.nodes.slice(0, 3).map((n) => n.target))}`)
        })
        for (const x of violations) problems.push(`${v.route}/${scheme}: ${x}`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test('no secret reached the page and nothing threw', () => {
    for (const body of apiBodies) {
      assert.equal(body.includes(UPSTREAM_KEY), false, 'the upstream key came back to the page')
    }
    assert.deepEqual(pageErrors, [])
  })
})
