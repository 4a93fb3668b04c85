/**
 * The window's live feed: connects a `LiveSource` once, hands committed usage rows to whoever
 * listens (the logs), at most every `flushMs`, and bumps a revision per event name, at most once
 * per `throttleMs`, which views watch to refetch (charts, gauges). So a 1000 req/s load costs the
 * page a few renders a second, whatever arrives.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { Events, UsageRow } from '../../preload/contract.ts'
import type { LiveEvent, LiveSource, LiveStatus } from '../lib/liveEvents.ts'

export type LiveState = {
  status: LiveStatus
  /** Bumped (throttled) when events of that name arrive; 0 until the first. */
  revisions: Record<keyof Events, number>
  /** Rows the server left out of its batches (overload); views then refetch instead of trusting the tail. */
  dropped: number
  start(): () => void
  /** Receives committed usage rows, newest last, in batches. */
  onUsage(fn: (rows: UsageRow[]) => void): () => void
}

export type LiveStoreOptions = { flushMs?: number; throttleMs?: number }

export function createLiveStore(source: LiveSource, options: LiveStoreOptions = {}): StoreApi<LiveState> {
  const flushMs = options.flushMs ?? 250
  const throttleMs = options.throttleMs ?? 1000
  const usageListeners = new Set<(rows: UsageRow[]) => void>()
  let pendingRows: UsageRow[] = []
  const pendingNames = new Set<keyof Events>()
  const lastBump = new Map<keyof Events, number>()
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let stop: (() => void) | null = null
  let starts = 0

  const store = createStore<LiveState>()((set) => ({
    status: 'offline',
    revisions: { 'usage:recorded': 0, 'catalog:changed': 0, 'budget:thresholdCrossed': 0, 'target:circuitChanged': 0, 'gateway:stateChanged': 0 },
    dropped: 0,
    start() {
      starts++
      stop ??= source.connect(receive, (status) => set({ status }))
      return () => {
        if (--starts > 0) return
        stop?.()
        stop = null
        set({ status: 'offline' })
      }
    },
    onUsage(fn) {
      usageListeners.add(fn)
      return () => void usageListeners.delete(fn)
    },
  }))

  function receive(events: LiveEvent[], dropped: number): void {
    for (const e of events) {
      if (e.event === 'usage:recorded') pendingRows.push(e.payload)
      pendingNames.add(e.event)
    }
    if (dropped) {
      store.setState((s) => ({ dropped: s.dropped + dropped }))
      pendingNames.add('usage:recorded')
    }
    flushTimer ??= setTimeout(flush, flushMs)
  }

  function flush(): void {
    flushTimer = null
    if (pendingRows.length) {
      const rows = pendingRows
      pendingRows = []
      for (const fn of usageListeners) fn(rows)
    }
    const now = Date.now()
    const bump: Partial<Record<keyof Events, number>> = {}
    for (const name of pendingNames) {
      if (now - (lastBump.get(name) ?? 0) < throttleMs) continue
      lastBump.set(name, now)
      bump[name] = store.getState().revisions[name] + 1
      pendingNames.delete(name)
    }
    if (Object.keys(bump).length) store.setState((s) => ({ revisions: { ...s.revisions, ...bump } }))
    // Names held back by the throttle get a trailing bump.
    if (pendingNames.size) flushTimer = setTimeout(flush, throttleMs)
  }

  return store
}
