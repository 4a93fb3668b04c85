// Stores of the window's remaining views, against a fake gateway: what each sends and keeps.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LimitCounter, LimitPolicy, SavedConfig } from '../../preload/contract.ts'
import { ControlError } from '../../renderer/lib/gateway.ts'
import { createBudgetsStore, gaugeParts } from '../../renderer/stores/budgets.ts'
import { createGuardrailsStore } from '../../renderer/stores/guardrails.ts'
import { createRoutingStore } from '../../renderer/stores/routing.ts'
import { createSettingsStore, isExposedHost } from '../../renderer/stores/settings.ts'
import { createToolsStore } from '../../renderer/stores/tools.ts'
import { createWizardStore, slugProblem } from '../../renderer/stores/wizard.ts'
import { fakeGateway } from './fakeGateway.ts'
import { integration } from './fixtures.ts'

const counter = (over: Partial<LimitCounter> = {}): LimitCounter => ({
  scope: 'workspace', id: 'w', label: "workspace 'default'", kind: 'budget', unit: 'usd', limit: 100, used: 0, reserved: 0,
  period: 'monthly', periodStart: 0, resetAt: 1, exhausted: false, ...over,
})

test('gaugeParts: spent and held are fractions of the limit, never past it; remaining never negative', () => {
  assert.deepEqual(gaugeParts({ limit: 100, used: 25, reserved: 25 }), { spent: 0.25, held: 0.25, remaining: 50 })
  assert.deepEqual(gaugeParts({ limit: 100, used: 150, reserved: 10 }), { spent: 1, held: 0, remaining: 0 })
  assert.deepEqual(gaugeParts({ limit: 0, used: 0, reserved: 0 }), { spent: 1, held: 0, remaining: 0 })
})

test('budgets: setting a USD budget keeps the scope’s other limits; clearing the last limit sends null', async () => {
  let policy: LimitPolicy | null = { budgets: [{ unit: 'tokens', limitTokens: 5, period: { kind: 'none' } }], rateLimits: [{ unit: 'requests', limit: 9, per: 'minute' }] }
  const gw = fakeGateway({
    'limits:get': (a) => ({ scope: a.scope, id: a.id, label: 'x', policy }),
    'limits:set': (a) => {
      policy = a.policy
      return { scope: a.scope, id: a.id, label: 'x', policy }
    },
    'limits:status': () => [counter({ used: 100, exhausted: true })],
  })
  const store = createBudgetsStore(gw)
  assert.equal(await store.getState().setUsdBudget('workspace', 'w', 5_000_000, { kind: 'monthly' }, [50, 100]), true)
  assert.deepEqual(policy, {
    budgets: [{ unit: 'tokens', limitTokens: 5, period: { kind: 'none' } }, { unit: 'usd', limitMicros: 5_000_000, period: { kind: 'monthly' }, alertThresholds: [50, 100] }],
    rateLimits: [{ unit: 'requests', limit: 9, per: 'minute' }],
  })
  assert.equal(store.getState().counters[0]?.exhausted, true, 'reloaded after the change')
  assert.deepEqual(store.getState().thresholds['workspace:w'], [50, 100], 'the gauge ticks come from the policy')
  policy = { budgets: [{ unit: 'usd', limitMicros: 1, period: { kind: 'monthly' } }] }
  await store.getState().setUsdBudget('workspace', 'w', null, { kind: 'monthly' })
  assert.equal(policy, null)
})

test('budgets: a refused save is kept as saveError, the counters stay', async () => {
  const gw = fakeGateway({
    'limits:get': () => {
      throw new ControlError('not_found', 'no workspace', 'id')
    },
  })
  const store = createBudgetsStore(gw)
  assert.equal(await store.getState().setRateLimit('workspace', 'nope', 10), false)
  assert.equal(store.getState().saveError?.code, 'not_found')
})

test('routing: reorder marks dirty, save sends the new order; versions newest first; restore saves the old body', async () => {
  const v = (version: number, model: string): SavedConfig => ({ id: 'c', slug: 'c', name: 'c', version, config: { model }, createdAt: 0, updatedAt: 0 })
  let saved: unknown = null
  const gw = fakeGateway({
    'aliases:list': () => [{ pattern: 'a', target: '@x/a' }, { pattern: 'b', target: '@x/b' }],
    'aliases:set': (a) => a.aliases,
    'configs:get': (a) => (a.version === undefined ? v(3, 'three') : v(a.version, a.version === 1 ? 'one' : 'two')),
    'configs:update': (a) => {
      saved = a.config
      return v(4, 'one')
    },
  })
  const store = createRoutingStore(gw)
  await store.getState().loadAliases('w')
  store.getState().move(1, 0)
  assert.equal(store.getState().dirty, true)
  assert.equal(await store.getState().saveAliases(), true)
  assert.deepEqual(gw.callsTo('aliases:set'), [{ workspaceId: 'w', aliases: [{ pattern: 'b', target: '@x/b' }, { pattern: 'a', target: '@x/a' }] }])
  assert.equal(store.getState().dirty, false)
  await store.getState().loadVersions('c')
  assert.deepEqual(store.getState().versions.map((x) => x.version), [3, 2, 1])
  await store.getState().restore('c', 1)
  assert.deepEqual(saved, { model: 'one' })
})

test('guardrails: the test box runs a draft set when given one, else the workspace’s', async () => {
  const gw = fakeGateway({
    'guardrails:get': (a) => ({ workspaceId: a.workspaceId, guardrails: null }),
    'guardrails:test': (a) => ({ results: [], blocked: null, text: a.text.toUpperCase() }),
  })
  const store = createGuardrailsStore(gw)
  await store.getState().load('w1')
  await store.getState().runTest('hi', 'input')
  await store.getState().runTest('yo', 'output', { input: [] })
  assert.deepEqual(gw.callsTo('guardrails:test'), [{ text: 'hi', stage: 'input', workspaceId: 'w1' }, { text: 'yo', stage: 'output', guardrails: { input: [] } }])
  assert.equal(store.getState().test?.text, 'YO')
})

test('tools: apply clears the preview and reloads the list; a failed restore keeps the error', async () => {
  const gw = fakeGateway({
    'tools:list': () => [{ id: 'codex', name: 'Codex', path: '/h/.codex/config.toml', exists: true, hasBackup: true, manual: '' }],
    'tools:preview': (a) => ({ tool: a.tool, path: '/p', before: null, after: 'x' }),
    'tools:apply': (a) => ({ tool: a.tool, path: '/p', backupPath: '/p.bak' }),
    'tools:restore': () => {
      throw new ControlError('not_found', 'no backup', 'tool')
    },
  })
  const store = createToolsStore(gw)
  await store.getState().showPreview({ tool: 'codex' })
  assert.equal(store.getState().preview?.after, 'x')
  assert.equal(await store.getState().apply({ tool: 'codex', model: 'm' }), true)
  assert.equal(store.getState().preview, null)
  assert.equal(store.getState().items[0]?.hasBackup, true)
  assert.equal(await store.getState().restore('codex'), false)
  assert.equal(store.getState().actionError?.code, 'not_found')
})

test('settings: exposed hosts are named; a save keeps the server’s answer', async () => {
  assert.equal(isExposedHost('127.0.0.1'), false)
  assert.equal(isExposedHost('::1'), false)
  assert.equal(isExposedHost('0.0.0.0'), true)
  const base = { port: 8787, host: '127.0.0.1', dataDir: '/d', logRetentionDays: null, bodyCapture: false, notifyThresholds: [80], launchAtLogin: false, vaultBackend: 'keychain' as const }
  const gw = fakeGateway({ 'settings:get': () => base, 'settings:set': (a) => ({ ...base, ...a }) })
  const store = createSettingsStore(gw, () => 42)
  await store.getState().load()
  assert.equal(await store.getState().save({ launchAtLogin: true }), true)
  assert.equal(store.getState().settings?.launchAtLogin, true)
  assert.equal(store.getState().savedAt, 42)
})

test('wizard: slug checks; connect finds the provider; the test lists models; steps load their data', async () => {
  assert.match(slugProblem('', []) ?? '', /Required/)
  assert.match(slugProblem('Bad Slug', []) ?? '', /lowercase/)
  assert.match(slugProblem('taken', ['taken']) ?? '', /already taken/)
  assert.equal(slugProblem('ok-1', ['taken']), null)
  const gw = fakeGateway({
    'integrations:create': (a) => integration({ id: 'i1', slug: a.slug }),
    'providers:list': () => [{ id: 'p', slug: 'local', name: 'local', integrationId: 'i1', integrationSlug: 'local', kind: 'openai', createdAt: 0 }],
    'models:refresh': (a) => [{ providerSlug: a.providerSlug, model: 'gpt-4o', source: 'discovered', inputPriceMicrosPerMTok: null, outputPriceMicrosPerMTok: null }],
    'provisioning:list': (a) => ({ integrationId: a.integrationId, autoProvision: false, defaultLimits: null, workspaces: [] }),
    'modelAccess:get': (a) => ({ integrationId: a.integrationId, autoEnableNew: true, models: [] }),
  })
  const store = createWizardStore(gw)
  assert.equal(await store.getState().connect({ slug: 'local', kind: 'openai', apiKey: 'sk-x' }), true)
  assert.equal(store.getState().providerSlug, 'local')
  await store.getState().testConnection()
  assert.deepEqual(store.getState().tested, ['gpt-4o'])
  await store.getState().goTo('provision')
  assert.equal(store.getState().provisioning?.integrationId, 'i1')
  await store.getState().goTo('models')
  assert.equal(store.getState().step, 'models')
  assert.equal(store.getState().access?.autoEnableNew, true)
  assert.equal(JSON.stringify(store.getState()).includes('sk-x'), false, 'the key is not kept')
})
