/**
 * Live views: when main says the catalog changed (another window, the tray, a setup file), the stores
 * that show it reload. Only where the transport pushes events (the desktop bridge); over HTTP a no-op.
 */
import type { AppStores } from '../stores/appStores.ts'
import type { Gateway } from './gateway.ts'

export function followEvents(gateway: Gateway, stores: AppStores): () => void {
  if (!gateway.subscribe) return () => {}
  const offs = [
    gateway.subscribe('catalog:changed', () => {
      void stores.integrations.getState().load()
      void stores.providers.getState().load()
      void stores.configs.getState().load()
      void stores.workspaces.getState().load()
    }),
    gateway.subscribe('gateway:stateChanged', () => void stores.status.getState().load()),
  ]
  return () => offs.forEach((off) => off())
}
