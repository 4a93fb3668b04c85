/** The tray menu, icon and tooltip as pure functions of the app's state: table tests. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LimitCounter } from '../../preload/contract.ts'
import { gauge, trayIcon, trayMenu, trayTooltip, type TrayItem, type TrayState } from '../../main/desktop/trayMenu.ts'
import { formatUsd } from '../../main/desktop/money.ts'

const budget = (over: Partial<LimitCounter> = {}): LimitCounter => ({
  scope: 'workspace', id: 'ws_a', label: "workspace 'ide'", kind: 'budget', unit: 'usd', limit: 10_000_000, used: 1_000_000, reserved: 0,
  period: 'monthly', periodStart: 0, resetAt: 1, exhausted: false, ...over,
})
const base: TrayState = {
  url: 'http://127.0.0.1:8787', paused: false, error: null, today: { costMicros: 1_234_567, requests: 42 }, budgets: [],
  claudeRoute: { choices: [], current: null }, topUpMicros: 5_000_000,
}
const labels = (items: TrayItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label))

test('icon, table', () => {
  const rows: Array<[string, Partial<TrayState>, ReturnType<typeof trayIcon>]> = [
    ['idle', {}, 'running'],
    ['paused', { paused: true }, 'paused'],
    ['a budget exhausted', { budgets: [budget({ used: 10_000_000, exhausted: true })] }, 'over-budget'],
    ['near but not over', { budgets: [budget({ used: 9_000_000 })] }, 'running'],
    ['paused wins over budget', { paused: true, budgets: [budget({ exhausted: true })] }, 'paused'],
    ['error wins over all', { error: 'server stopped', paused: true, budgets: [budget({ exhausted: true })] }, 'error'],
  ]
  for (const [name, over, icon] of rows) assert.equal(trayIcon({ ...base, ...over }), icon, name)
})

test('the plain menu: today, pause, open, copy, quit', () => {
  assert.deepEqual(labels(trayMenu(base)), [
    'Today: $1.23 · 42 requests', '---', 'Pause gateway', '---', 'Open Switchyard', 'Copy base URL (http://127.0.0.1:8787/v1)', '---', 'Quit Switchyard',
  ])
  const actions = trayMenu(base).flatMap((i) => (i.type === 'normal' && i.action ? [i.action.kind] : []))
  assert.deepEqual(actions, ['open', 'pause', 'open', 'copy-base-url', 'quit'])
  assert.match(trayTooltip(base), /running.*\$1\.23 today/)
})

test('menu items by state, table', () => {
  const rows: Array<{ name: string; over: Partial<TrayState>; has: string[]; lacks: string[] }> = [
    { name: 'paused offers resume', over: { paused: true }, has: ['Resume gateway'], lacks: ['Pause gateway'] },
    { name: 'one request is singular', over: { today: { costMicros: 0, requests: 1 } }, has: ['Today: $0.00 · 1 request'], lacks: [] },
    { name: 'a budget under 80% has no gauge', over: { budgets: [budget({ used: 7_900_000 })] }, has: [], lacks: ["workspace 'ide' ▰▰▰▰▰▰▰▱▱▱ 79% ($7.90 of $10.00, monthly)"] },
    { name: 'at 80%: a gauge and the top-up', over: { budgets: [budget({ used: 8_000_000 })] }, has: ["workspace 'ide' ▰▰▰▰▰▰▰▰▱▱ 80% ($8.00 of $10.00, monthly)", "    +$5.00 today for workspace 'ide'"], lacks: [] },
    { name: 'the top-up amount is configurable', over: { topUpMicros: 2_500_000, budgets: [budget({ used: 9_500_000 })] }, has: ["    +$2.50 today for workspace 'ide'"], lacks: [] },
    { name: 'token budgets get a gauge, no top-up', over: { budgets: [budget({ unit: 'tokens', limit: 1000, used: 950 })] }, has: ["workspace 'ide' ▰▰▰▰▰▰▰▰▰▱ 95% (950 tokens of 1,000 tokens, monthly)"], lacks: ["    +$5.00 today for workspace 'ide'"] },
    { name: 'rate limits never get a gauge', over: { budgets: [budget({ kind: 'rate', unit: 'requests', limit: 10, used: 10 })] }, has: [], lacks: ["workspace 'ide' ▰▰▰▰▰▰▰▰▰▰ 100% (10 requests of 10 requests, monthly)"] },
    { name: 'an error is shown first', over: { error: 'port 8787 is taken' }, has: ['⚠ port 8787 is taken'], lacks: [] },
  ]
  for (const r of rows) {
    const got = labels(trayMenu({ ...base, ...r.over }))
    for (const l of r.has) assert.ok(got.includes(l), `${r.name}: missing ${l} in ${JSON.stringify(got)}`)
    for (const l of r.lacks) assert.ok(!got.includes(l), `${r.name}: unexpected ${l}`)
  }
  assert.equal(labels(trayMenu({ ...base, error: 'x' }))[0], '⚠ x')
})

test('budgets nearest their limit come first, and the top-up targets that budget', () => {
  const items = trayMenu({ ...base, budgets: [budget({ id: 'a', label: 'A', used: 8_500_000 }), budget({ id: 'b', label: 'B', used: 12_000_000, exhausted: true })] })
  assert.deepEqual(labels(items).slice(1, 5), ['B ▰▰▰▰▰▰▰▰▰▰ 120% ($12.00 of $10.00, monthly)', '    +$5.00 today for B', 'A ▰▰▰▰▰▰▰▰▱▱ 85% ($8.50 of $10.00, monthly)', '    +$5.00 today for A'])
  const topUp = items[2]
  assert.ok(topUp?.type === 'normal')
  assert.deepEqual(topUp.action, { kind: 'top-up', scope: 'workspace', id: 'b' })
})

test("Claude Code's route: a radio submenu of the configured choices", () => {
  const s = { ...base, claudeRoute: { choices: [{ name: 'Anthropic', target: '@anthropic/*' }, { name: 'Local', target: '@ollama/qwen3' }], current: 'Local' } }
  const sub = trayMenu(s).find((i) => i.type === 'submenu')
  assert.ok(sub?.type === 'submenu')
  assert.equal(sub.label, 'Claude Code model: Local')
  assert.deepEqual(sub.items, [
    { type: 'radio', label: 'Anthropic (@anthropic/*)', checked: false, action: { kind: 'claude-route', name: 'Anthropic' } },
    { type: 'radio', label: 'Local (@ollama/qwen3)', checked: true, action: { kind: 'claude-route', name: 'Local' } },
  ])
  assert.equal(trayMenu(base).some((i) => i.type === 'submenu'), false, 'no choices configured: no submenu')
})

test('gauge and money formatting, table', () => {
  for (const [used, limit, want] of [[0, 10, '▱▱▱▱▱▱▱▱▱▱ 0%'], [5, 10, '▰▰▰▰▰▱▱▱▱▱ 50%'], [10, 10, '▰▰▰▰▰▰▰▰▰▰ 100%'], [25, 10, '▰▰▰▰▰▰▰▰▰▰ 250%'], [1, 0, '▰▰▰▰▰▰▰▰▰▰ 100%']] as const) {
    assert.equal(gauge(used, limit), want)
  }
  for (const [m, want] of [[0, '$0.00'], [4_200, '<$0.01'], [420_000, '$0.42'], [12_500_000, '$12.50'], [1_204_000_000, '$1,204']] as const) assert.equal(formatUsd(m), want)
})
