/**
 * The Control API's events, live, whichever transport the window has: the preload bridge's
 * `on(name, fn)` in the desktop app, or `GET /admin/events` (server-sent events, read with fetch so
 * the admin token travels in a header, never in a URL) from the headless server. The HTTP source
 * reconnects after a drop. Stores receive a `LiveSource`, so tests hand them a fake.
 * Must not: import from `main/` or `node:*`.
 */
import type { Events } from '../../preload/contract.ts'

export type LiveEvent = { [E in keyof Events]: { event: E; payload: Events[E] } }[keyof Events]
export type LiveStatus = 'connecting' | 'live' | 'offline'

export type LiveSource = {
  /** Starts delivering; returns a function that stops. `dropped`: events the server left out to keep up. */
  connect(onEvents: (events: LiveEvent[], dropped: number) => void, onStatus: (status: LiveStatus) => void): () => void
}

/** Every event name, for transports that subscribe by name. */
export const liveEventNames = ['usage:recorded', 'catalog:changed', 'budget:thresholdCrossed', 'target:circuitChanged', 'gateway:stateChanged'] as const
// Compile-time check that fails the build (not just evaluates to never) when the contract gains an event this list lacks.
const everyEventListed: Record<Exclude<keyof Events, (typeof liveEventNames)[number]>, never> = {}
void everyEventListed

/** Splits SSE text into complete messages (event name and data) and the unfinished rest. */
export function parseSse(text: string): { messages: Array<{ event: string; data: string }>; rest: string } {
  const messages: Array<{ event: string; data: string }> = []
  const normalized = text.replace(/\r\n?/g, '\n')
  let start = 0
  let end: number
  while ((end = normalized.indexOf('\n\n', start)) >= 0) {
    let event = 'message'
    const data: string[] = []
    for (const line of normalized.slice(start, end).split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length) messages.push({ event, data: data.join('\n') })
    start = end + 2
  }
  return { messages, rest: normalized.slice(start) }
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export function httpLiveSource(opts: { baseUrl: string; token: () => string | null; fetch?: FetchLike; retryMs?: number }): LiveSource {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init))
  return {
    connect(onEvents, onStatus) {
      let stopped = false
      let abort: AbortController | null = null
      let retry: ReturnType<typeof setTimeout> | null = null
      const run = async () => {
        onStatus('connecting')
        abort = new AbortController()
        try {
          const token = opts.token()
          const res = await doFetch(`${opts.baseUrl}/admin/events`, {
            headers: token === null ? {} : { authorization: `Bearer ${token}` },
            signal: abort.signal,
          })
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
          onStatus('live')
          const reader = res.body.getReader()
          const decoder = new TextDecoder()
          let buf = ''
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            const parsed = parseSse(buf + decoder.decode(value, { stream: true }))
            buf = parsed.rest
            for (const m of parsed.messages) {
              if (m.event !== 'batch') continue
              const batch = JSON.parse(m.data) as { events: LiveEvent[]; dropped: Partial<Record<string, number>> }
              onEvents(batch.events, Object.values(batch.dropped).reduce<number>((a, b) => a + (b ?? 0), 0))
            }
          }
        } catch {
          // Dropped or refused: say so, then try again below.
        }
        if (stopped) return
        onStatus('offline')
        retry = setTimeout(() => void run(), opts.retryMs ?? 2000)
      }
      void run()
      return () => {
        stopped = true
        abort?.abort()
        if (retry) clearTimeout(retry)
      }
    },
  }
}

/** What the desktop preload adds for events (`on(name, fn)` returns an unsubscribe). */
type EventBridge = { on(name: keyof Events, fn: (payload: unknown) => void): () => void }

export function bridgeLiveSource(bridge: EventBridge): LiveSource {
  return {
    connect(onEvents, onStatus) {
      const offs = liveEventNames.map((event) => bridge.on(event, (payload) => onEvents([{ event, payload } as LiveEvent], 0)))
      onStatus('live')
      return () => offs.forEach((off) => off())
    },
  }
}

/** The bridge when the preload offers events, else the page's own server over SSE. */
export function defaultLiveSource(readToken: () => string | null): LiveSource {
  const bridge = typeof window === 'undefined' ? undefined : (window.switchyard as Partial<EventBridge> | undefined)
  if (bridge && typeof bridge.on === 'function') return bridgeLiveSource(bridge as EventBridge)
  return httpLiveSource({ baseUrl: '', token: readToken })
}
