/**
 * The web UI journey shared by the end-to-end runs over HTTP (ui.e2e.test.ts, the headless server)
 * and over the desktop bridge (bridge.e2e.test.ts, the preload's bridge injected into the page): add
 * an OpenAI integration (key write-only), create the `@openai-test` provider, look at its models, save
 * a routing config (after its validation errors are listed by path), create an API key that is shown
 * exactly once, and read the Status and Usage screens. Secrets are checked for in the page HTML, in
 * browser storage and in every Control API answer the page received. Screenshots go to /tmp/ui-*.png.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'

export type JourneyEnv = {
  page: Page
  /** The gateway origin, `http://127.0.0.1:PORT`. */
  url: string
  /** Calls the Control API as a script would; returns the Result. */
  admin(name: string, input?: unknown): Promise<unknown>
  /** Every Control API answer the page received, as text. */
  apiBodies: string[]
  /** Prefix for screenshot names (`ui`, `ui-bridge`). */
  shots: string
}

const nonce = () => `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`

/** Defines the journey's tests, in order, inside the caller's describe(); `env` is read when they run. */
export function defineUiJourney(env: () => JourneyEnv): void {
  /** The provider API key typed into the integration form. It must never come back. */
  const integrationSecret = `sk-e2e-${nonce()}WXYZ`
  /** The key it is later replaced with. Neither may come back. */
  const rotatedSecret = `sk-e2e-rotated-${nonce()}QRST`
  let createdKey = ''
  test('add an OpenAI integration: the API key is a password field and only its hint comes back', async () => {
    const form = env().page.getByRole('form', { name: 'Add integration' })
    await form.getByLabel('Provider kind').selectOption('openai')
    await form.getByLabel('Slug').fill('openai-main')
    await form.getByLabel('Name').fill('OpenAI (e2e)')
    const keyInput = form.getByLabel('API key')
    assert.equal(await keyInput.getAttribute('type'), 'password')
    await keyInput.fill(integrationSecret)
    await form.getByRole('button', { name: 'Save integration' }).click()

    const table = env().page.getByRole('table', { name: 'Integrations' })
    const row = table.getByRole('row').filter({ hasText: 'openai-main' })
    await row.waitFor()
    await row.getByText('••••WXYZ').waitFor()
    await env().page.getByRole('status').filter({ hasText: '@openai-main/' }).waitFor()
    await env().page.screenshot({ path: `/tmp/${env().shots}-integrations.png`, fullPage: true })

    const html = await env().page.content()
    assert.equal(html.includes(integrationSecret), false, 'integration key is in the page HTML')
  })

  test('a refused create shows the server error inline, next to the form', async () => {
    await env().page.getByRole('button', { name: 'Add integration' }).click()
    const form = env().page.getByRole('form', { name: 'Add integration' })
    await form.getByLabel('Provider kind').selectOption('openai')
    await form.getByLabel('Slug').fill('openai-main')
    await form.getByLabel('API key').fill('sk-another-key-1234')
    await form.getByRole('button', { name: 'Save integration' }).click()
    const alert = form.getByRole('alert')
    await alert.waitFor()
    const text = await alert.innerText()
    assert.match(text, /openai-main|exists|conflict/i, `unexpected error text: ${text}`)
    await form.getByRole('button', { name: 'Cancel' }).click()
  })

  test('replace the integration key: write-only again, only the new hint shows', async () => {
    const row = env().page.getByRole('table', { name: 'Integrations' }).getByRole('row').filter({ hasText: 'openai-main' })
    await row.getByRole('button', { name: 'Replace' }).click()
    const input = row.getByLabel('New API key')
    assert.equal(await input.getAttribute('type'), 'password')
    await input.fill(rotatedSecret)
    await row.getByRole('button', { name: 'Save' }).click()
    await row.getByText('••••QRST').waitFor()
    assert.equal(await row.getByText('••••WXYZ').count(), 0)
  })

  test('create provider @openai-test from the integration', async () => {
    await env().page.getByRole('link', { name: 'Providers' }).click()
    await env().page.getByRole('heading', { name: 'AI providers' }).waitFor()
    // Creating the integration also made `@openai-main` ("create once, use at once").
    const table = env().page.getByRole('table', { name: 'Providers' })
    await table.getByRole('row').filter({ hasText: '@openai-main' }).waitFor()
    const form = env().page.getByRole('form', { name: 'Create provider' })
    await form.getByLabel('Slug').fill('@openai-test')
    await form.getByLabel('Integration').selectOption({ label: 'openai-main (openai)' })
    await form.getByRole('button', { name: 'Create provider' }).click()
    const row = table.getByRole('row').filter({ hasText: '@openai-test' })
    await row.waitFor()
    await row.getByText('openai-main').waitFor()
  })

  test('models of @openai-test, and "Refresh from upstream" answers (list or inline error)', async () => {
    await env().page.getByRole('link', { name: 'Models' }).click()
    await env().page.getByRole('heading', { name: 'Models' }).waitFor()
    await env().page.getByLabel('Provider').selectOption('openai-test')
    await env().page.getByRole('button', { name: 'Refresh from upstream' }).first().click()
    // No route to api.openai.com here: expect the upstream error inline; with a route, a model table.
    await env().page
      .getByRole('alert')
      .filter({ hasText: 'openai-test' })
      .or(env().page.getByText('Refreshed from upstream'))
      .first()
      .waitFor({ timeout: 20_000 })
    await env().page.screenshot({ path: `/tmp/${env().shots}-models.png`, fullPage: true })
  })

  test('routing configs: validation lists errors by path, a refused save says why, a good one is saved', async () => {
    await env().page.getByRole('link', { name: 'Configs' }).click()
    await env().page.getByRole('heading', { name: 'Configs' }).waitFor()
    await env().page.getByText('No routing configs yet').waitFor()
    await env().page.getByRole('button', { name: 'Create config' }).click()
    const form = env().page.getByRole('form', { name: 'Create config' })
    await form.getByLabel('Slug').fill('fallback-e2e')
    const editor = form.getByLabel('Config (JSON)')
    await editor.fill(
      JSON.stringify({
        strategy: { mode: 'sideways' },
        targets: [{ provider: '@openai-test' }, { provider: '@openai-main', retry: { attempts: 9 } }],
      }),
    )
    await form.getByRole('button', { name: 'Validate' }).click()
    const errors = form.getByRole('region', { name: 'Validation' }).getByRole('list', { name: 'Validation errors' })
    await errors.getByText('strategy.mode', { exact: true }).waitFor()
    await errors.getByText('targets[1].retry.attempts', { exact: true }).waitFor()
    await env().page.screenshot({ path: `/tmp/${env().shots}-configs-invalid.png`, fullPage: true })

    await form.getByRole('button', { name: 'Create config' }).click()
    await form.getByRole('alert').getByText('config.strategy.mode').first().waitFor()

    await editor.fill(
      JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: '@openai-test' }, { provider: '@openai-main' }] }),
    )
    await form.getByRole('button', { name: 'Validate' }).click()
    await form.getByText('The config is valid.').waitFor()
    await form.getByRole('button', { name: 'Create config' }).click()
    const row = env().page.getByRole('table', { name: 'Configs' }).getByRole('row').filter({ hasText: 'fallback-e2e' })
    await row.waitFor()
    await row.getByText('v1').waitFor()
    await env().page.getByRole('status').filter({ hasText: 'x-portkey-config: fallback-e2e' }).waitFor()
    const saved = (await env().admin('configs:get', { id: 'fallback-e2e' })) as { ok: boolean }
    assert.equal(saved.ok, true, JSON.stringify(saved))
    await env().page.screenshot({ path: `/tmp/${env().shots}-configs.png`, fullPage: true })

    // Editing loads the saved JSON; each save is a new version.
    await row.getByRole('button', { name: 'Edit' }).click()
    const editForm = env().page.getByRole('form', { name: 'Edit config fallback-e2e' })
    assert.match(await editForm.getByLabel('Config (JSON)').inputValue(), /"mode": "fallback"/)
    await editForm.getByLabel('Name').fill('Fallback (e2e)')
    await editForm.getByRole('button', { name: 'Save changes' }).click()
    await row.getByText('v2').waitFor()
    await row.getByText('Fallback (e2e)').waitFor()
  })

  test('create an API key: shown once with a copy button and a warning, and it works', async () => {
    await env().page.getByRole('link', { name: 'API keys' }).click()
    await env().page.getByRole('heading', { name: 'API keys' }).waitFor()
    const form = env().page.getByRole('form', { name: 'Create API key' })
    await form.getByLabel('Key name').fill('e2e-client')
    await form.getByRole('button', { name: 'Create key' }).click()

    const reveal = env().page.getByRole('region', { name: 'New API key' })
    await reveal.waitFor()
    await reveal.getByText('It will not be shown again').waitFor()
    await reveal.getByRole('button', { name: 'Copy key' }).waitFor()
    createdKey = await reveal.getByLabel('New API key value').inputValue()
    assert.match(createdKey, /^sy-/)
    await env().page.screenshot({ path: `/tmp/${env().shots}-keys-reveal.png`, fullPage: true })

    // The key is real: the gateway accepts it.
    const res = await fetch(`${env().url}/v1/models`, { headers: { authorization: `Bearer ${createdKey}` } })
    assert.notEqual(res.status, 401, 'the revealed key was not accepted by the gateway')

    await reveal.getByRole('button', { name: 'Done' }).click()
    await reveal.waitFor({ state: 'detached' })
    const row = env().page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'e2e-client' })
    await row.waitFor()
    assert.equal((await env().page.content()).includes(createdKey), false, 'key still in the page after Done')
  })

  test('after a reload the API key is not shown again (and the session survives)', async () => {
    await env().page.reload()
    await env().page.getByRole('heading', { name: 'API keys' }).waitFor()
    const row = env().page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'e2e-client' })
    await row.waitFor()
    const prefix = createdKey.slice(0, 6)
    await row.getByText(prefix, { exact: false }).waitFor()
    assert.equal(await env().page.getByRole('region', { name: 'New API key' }).count(), 0)
    const html = await env().page.content()
    assert.equal(html.includes(createdKey), false, 'the API key is shown again after reload')
    await env().page.screenshot({ path: `/tmp/${env().shots}-keys.png`, fullPage: true })
  })

  test('the integration key never reaches the page: HTML, storage, Control API responses', async () => {
    await env().page.getByRole('link', { name: 'Integrations' }).click()
    await env().page.getByRole('table', { name: 'Integrations' }).getByText('••••QRST').waitFor()
    const html = await env().page.content()
    const storage = await env().page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }))
    assert.ok(env().apiBodies.length > 5, `expected Control API traffic, saw ${env().apiBodies.length} responses`)
    for (const secret of [integrationSecret, rotatedSecret]) {
      assert.equal(html.includes(secret), false, 'integration key in page HTML')
      assert.equal(storage.includes(secret), false, 'integration key in browser storage')
      for (const body of env().apiBodies) {
        assert.equal(body.includes(secret), false, `integration key in an API response: ${body.slice(0, 200)}`)
      }
    }
  })

  test('Status shows the gateway URL, the key-file vault and its warning', async () => {
    await env().page.getByRole('link', { name: 'Status' }).click()
    await env().page.getByRole('heading', { name: 'Status' }).waitFor()
    await env().page.locator('.facts').getByText(env().url, { exact: true }).waitFor()
    await env().page.getByText('Key file', { exact: true }).waitFor()
    await env().page.getByRole('alert', { name: 'Warnings' }).getByText('vault key').waitFor()
    await env().page.screenshot({ path: `/tmp/${env().shots}-status.png`, fullPage: true })
  })

  test('Usage shows summary cards and charts or an empty state', async () => {
    // One request through the gateway so there is a row (it fails upstream here: no route out).
    await fetch(`${env().url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${createdKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: '@openai-test/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(20_000),
    }).catch(() => undefined)
    await env().page.getByRole('link', { name: 'Usage' }).click()
    await env().page.getByRole('heading', { name: 'Usage' }).waitFor()
    await env().page.getByText('Requests', { exact: true }).first().waitFor()
    await env().page
      .getByRole('img', { name: /^Cost over time/ })
      .or(env().page.getByText('No requests in the'))
      .first()
      .waitFor({ timeout: 10_000 })
    await env().page.screenshot({ path: `/tmp/${env().shots}-usage.png`, fullPage: true })
    await env().page.emulateMedia({ colorScheme: 'dark' })
    await env().page.screenshot({ path: `/tmp/${env().shots}-usage-dark.png`, fullPage: true })
    await env().page.emulateMedia({ colorScheme: 'light' })
  })

  test('a second workspace from the header selector has its own (empty) key list', async () => {
    const created = (await env().admin('workspaces:create', { slug: 'experiments', name: 'Experiments' })) as {
      ok: boolean
    }
    assert.equal(created.ok, true, JSON.stringify(created))
    await env().page.reload()
    await env().page.getByRole('link', { name: 'API keys' }).click()
    await env().page.getByRole('banner').getByLabel('Workspace').selectOption({ label: 'Experiments' })
    await env().page.getByText('No API keys in this workspace').waitFor()
    await env().page.getByRole('banner').getByLabel('Workspace').selectOption({ label: 'Default' })
    await env().page.getByRole('table', { name: 'API keys' }).getByText('e2e-client').waitFor()
  })
}
