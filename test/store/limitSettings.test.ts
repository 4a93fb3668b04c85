/**
 * Limit settings without a saved zone use this machine's, read only when something asks for it
 * (building an Intl.DateTimeFormat costs ~40 ms and ~8 MB at start); a saved zone wins; a gateway
 * without budgets never reads it.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createGovernance } from '../../main/limits/createGovernance.ts'
import { systemTimeZone } from '../../main/limits/zonedTime.ts'
import { openStore } from '../../main/store/Store.ts'

/** Counts the Intl.DateTimeFormat objects built while `fn` runs. */
function formatsBuilt<T>(fn: () => T): { value: T; built: number } {
  const real = Intl.DateTimeFormat
  let built = 0
  Intl.DateTimeFormat = new Proxy(real, {
    construct: (t, args) => (built++, Reflect.construct(t, args) as object),
    apply: (t, self, args) => (built++, Reflect.apply(t, self, args) as unknown),
  })
  try {
    return { value: fn(), built }
  } finally {
    Intl.DateTimeFormat = real
  }
}

function withStore(fn: (store: ReturnType<typeof openStore>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sy-limits-'))
  const store = openStore(join(dir, 'db.sqlite'))
  try {
    fn(store)
  } finally {
    store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

test('no saved zone: starting governance reads no zone; the settings give the system zone when asked, as data', () => {
  withStore((store) => {
    const { value: governance, built } = formatsBuilt(() => {
      const g = createGovernance(store, () => 1_700_000_000_000)
      g.reload()
      return g
    })
    assert.equal(built, 0, 'no Intl.DateTimeFormat at start')
    const settings = governance.settings()
    assert.equal(settings.timeZone, systemTimeZone())
    assert.deepEqual(JSON.parse(JSON.stringify(settings)), { timeZone: systemTimeZone(), defaultMaxOutputTokens: 4096 })
    assert.deepEqual({ ...store.governance.settings() }, { timeZone: systemTimeZone(), defaultMaxOutputTokens: 4096 })
    assert.equal(formatsBuilt(() => settings.timeZone).built, 0, 'read once, then kept')
  })
})

test('a saved zone wins over the system zone and its defaults fill the rest', () => {
  withStore((store) => {
    store.governance.setSettings({ timeZone: 'Asia/Tokyo', defaultMaxOutputTokens: 100 })
    assert.deepEqual(store.governance.settings(), { timeZone: 'Asia/Tokyo', defaultMaxOutputTokens: 100 })
  })
})

test('a budget with a period reads the default zone when governance loads it', () => {
  withStore((store) => {
    store.governance.setPolicy('workspace', 'ws_default', { budgets: [{ unit: 'usd', limitMicros: 1_000_000, period: { kind: 'monthly' } }] }, 1)
    const g = createGovernance(store, () => 1_700_000_000_000)
    const { built } = formatsBuilt(() => g.reload())
    assert.ok(built > 0, 'the budget period needed the zone')
  })
})
