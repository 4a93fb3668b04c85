/** Notification policy: what is said at thresholds, exhaustion, circuit changes and expiring keys; throttling; the view each opens. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BudgetAlert } from '../../preload/contract.ts'
import { createNotificationPolicy, type NotificationInput } from '../../main/desktop/notificationPolicy.ts'

const alert = (over: Partial<BudgetAlert> = {}): NotificationInput => ({
  kind: 'budget',
  alert: { scope: 'workspace', id: 'ws', label: "workspace 'ide'", unit: 'usd', threshold: 80, limit: 10_000_000, spent: 8_100_000, periodStart: 0, resetAt: null, at: 0, ...over },
})
const circuit = (state: 'open' | 'half_open' | 'closed', target = '@openai/gpt-4o'): NotificationInput => ({ kind: 'circuit', change: { target, state, at: 0, failures: 5 } })

function policy(over: { enabled?: boolean; burst?: number } = {}) {
  let t = 1_000_000
  const p = createNotificationPolicy({ now: () => t, enabled: () => over.enabled ?? true, topUpMicros: () => 5_000_000, perSubjectMs: 60_000, burst: over.burst ?? 3, keyWarningMs: 3 * 86_400_000 })
  return { p, advance: (ms: number) => void (t += ms), now: () => t }
}

test('what each event says and opens, table', () => {
  const rows: Array<{ input: NotificationInput; title: RegExp | null; view?: string; topUp?: boolean }> = [
    { input: alert(), title: /workspace 'ide' at 80% of its budget/, view: 'usage', topUp: true },
    { input: alert({ threshold: 100, spent: 10_000_000 }), title: /Budget exhausted: workspace 'ide'/, view: 'usage', topUp: true },
    { input: alert({ unit: 'tokens', limit: 1000, spent: 800 }), title: /at 80%/, view: 'usage', topUp: false },
    { input: circuit('open'), title: /Provider failing: fallback engaged/, view: 'configs' },
    { input: circuit('half_open'), title: null },
    { input: circuit('closed', '@never/opened'), title: null },
    { input: { kind: 'providerFailing', provider: '@openai', status: 503 }, title: /Provider failing/, view: 'providers' },
  ]
  for (const r of rows) {
    const n = policy().p.decide(r.input)
    if (r.title === null) {
      assert.equal(n, null, JSON.stringify(r.input))
      continue
    }
    assert.ok(n, JSON.stringify(r.input))
    assert.match(n.title, r.title)
    assert.equal(n.view, r.view)
    assert.equal(Boolean(n.topUp), r.topUp ?? false)
  }
  const n = policy().p.decide(alert())
  assert.deepEqual(n?.topUp, { scope: 'workspace', id: 'ws', label: '+$5.00 today' })
  assert.match(n?.body ?? '', /\$8\.10 of \$10\.00 spent/)
})

test('expiring keys: announced inside the warning window only, table', () => {
  const { p, now } = policy()
  const key = (inMs: number, id: string): NotificationInput => ({ kind: 'keyExpiring', key: { id, name: 'ci', expiresAt: now() + inMs } })
  assert.equal(p.decide(key(4 * 86_400_000, 'a')), null)
  assert.match(p.decide(key(2 * 86_400_000, 'b'))?.title ?? '', /'ci' expires in 2 days/)
  assert.match(p.decide(key(5 * 3_600_000, 'c'))?.title ?? '', /expires in 5 h/)
  assert.equal(policy().p.decide(key(-1, 'd'))?.title, "API key 'ci' has expired")
  assert.equal(policy().p.decide(key(-1, 'd'))?.view, 'keys')
})

test('throttled per subject; a new subject is not', () => {
  const { p, advance } = policy()
  assert.ok(p.decide(alert({ threshold: 50 })))
  assert.equal(p.decide(alert({ threshold: 80 })), null, 'same budget within the window')
  assert.ok(p.decide(alert({ id: 'other' })), 'another budget')
  advance(60_000)
  assert.ok(p.decide(alert({ threshold: 90 })), 'after the window')
})

test('exhaustion is always said once per period, even inside the throttle window', () => {
  const { p } = policy()
  assert.ok(p.decide(alert({ threshold: 80 })))
  assert.ok(p.decide(alert({ threshold: 100 })), 'exhausted right after 80% is still said')
  assert.equal(p.decide(alert({ threshold: 100 })), null, 'but only once')
  assert.ok(p.decide(alert({ threshold: 100, periodStart: 1 })), 'a new period says it again')
})

test('a burst cap across subjects, and recovery only after a failure was announced', () => {
  const { p, advance } = policy({ burst: 2 })
  assert.ok(p.decide(circuit('open', '@a/x')))
  assert.ok(p.decide(circuit('open', '@b/x')))
  assert.equal(p.decide(circuit('open', '@c/x')), null, 'third in a minute')
  assert.ok(p.decide(circuit('closed', '@a/x')), 'recovery of an announced failure is said')
  advance(60_000)
  assert.ok(p.decide(circuit('open', '@d/x')))
})

test('off in the settings: nothing', () => {
  assert.equal(policy({ enabled: false }).p.decide(alert({ threshold: 100 })), null)
})
