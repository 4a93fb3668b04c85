/**
 * Governance as the rest of the app sees it: the governor (live counters), the limit settings held in
 * memory for the request path, and `reload()`, which re-reads the policies from the store after a
 * change (flushing queued usage first, so rebuilt counters see every finished call). Budget alerts
 * are written to the store off the request path (setImmediate) and handed to listeners.
 */
import type { BudgetAlert, LimitSettings } from '../../preload/contract.ts'
import type { GovernanceDeps } from '../gateway/enforceLimits.ts'
import { log } from '../log.ts'
import type { Store } from '../store/Store.ts'
import { compileLimits } from './compileLimits.ts'
import { createGovernor, type Governor } from './createGovernor.ts'

export type Governance = GovernanceDeps & {
  governor: Governor
  reload(): void
  setSettings(s: LimitSettings): void
  onAlert(fn: (a: BudgetAlert) => void): void
}

export function createGovernance(store: Store, clock: () => number = Date.now): Governance {
  const governor = createGovernor()
  let settings = store.governance.settings()
  const listeners: Array<(a: BudgetAlert) => void> = []
  governor.onAlert(({ counterKey, ...alert }) => {
    setImmediate(() => {
      try {
        store.governance.recordAlert(counterKey, alert.periodStart, `${alert.threshold}@${alert.limit}`, alert.at)
      } catch (err) {
        log.error('could not record a budget alert', { error: err })
      }
      for (const fn of listeners) fn(alert)
    })
  })
  const governance: Governance = {
    governor,
    clock,
    settings: () => settings,
    setSettings(s) {
      store.governance.setSettings(s)
      settings = s
      governance.reload()
    },
    reload() {
      store.usageWriter.flush()
      const now = clock()
      const grants = store.grants.unexpired(now).map((g) => ({ scope: { kind: g.scope, id: g.scopeId }, amountMicros: g.amountMicros, grantedAt: g.grantedAt, expiresAt: g.expiresAt }))
      governor.reload(Object.assign(compileLimits(store), { grants }), store.governance.history, now)
    },
    onAlert: (fn) => void listeners.push(fn),
  }
  governance.reload()
  return governance
}
