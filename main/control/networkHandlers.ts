/** Network settings: which per-request custom hosts the gateway may reach (see network/upstreamHost.ts). */
import { readNetworkSettings, writeNetworkSettings } from '../network/networkSettings.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function networkHandlers(ctx: HandlerContext) {
  const { store, changed } = ctx
  return {
    'network:get': () => readNetworkSettings(store.db),
    'network:set': (a) => {
      const current = readNetworkSettings(store.db)
      const allowHosts = a.allowHosts ? [...new Set(a.allowHosts.map((h) => h.trim()))] : current.allowHosts
      writeNetworkSettings(store.db, { allowLoopback: a.allowLoopback ?? current.allowLoopback, allowHosts })
      changed('network settings updated')
      return readNetworkSettings(store.db)
    },
  } satisfies Partial<Handlers>
}
