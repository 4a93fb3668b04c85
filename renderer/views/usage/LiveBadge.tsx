/** Whether the window is receiving live updates (the SSE stream or the desktop bridge). */
import { useStore } from 'zustand'
import { useStores } from '../../lib/useStores.ts'

const text = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const

export function LiveBadge() {
  const stores = useStores()
  const status = useStore(stores.live, (s) => s.status)
  return (
    <span className={`live-badge live-${status}`} role="status" title={status === 'live' ? 'New requests appear without a reload' : 'Live updates paused; reconnecting'}>
      <span className="dot" aria-hidden="true" />
      {text[status]}
    </span>
  )
}
