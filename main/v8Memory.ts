/**
 * How the headless gateway keeps V8's memory close to what it uses (issue 13's RSS targets), without
 * command-line flags (`npm start` and `node dist/cli.js` run a plain `node`):
 *   - during the start the young generation stays at its initial size: what the start allocates is
 *     mostly garbage, and each time V8 doubles the young generation more pages get touched (~2.6 MB
 *     of RSS at the first answer); once started it grows as usual, since under load a small one costs
 *     CPU (more scavenges) and promotes more to the old generation;
 *   - after a busy spell, once the event loop has been idle for a whole check interval, one full GC in
 *     V8's memory-reducing mode gives back the grown young generation and the free pages of the old
 *     one (~10–60 ms, never while requests are being served). V8's own memory reducer does this too,
 *     but later and not always: RSS stayed at the load's peak for a minute and more.
 */
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import vm from 'node:vm'

/** V8's default `--semi-space-growth-factor` (flag-definitions.h); 1 keeps the young generation at its size. */
const DEFAULT_GROWTH = 2

export function youngGenerationGrows(grows: boolean): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${grows ? DEFAULT_GROWTH : 1}`)
}

/**
 * When V8 starts marking the old generation: when 80 % of the room it had after the last full GC is
 * used (95 %: at once), counting, as V8 does, the external memory (Buffers) allocated since. V8's
 * default test is "less room left than the young generation's capacity": after a busy spell the young
 * generation stays at 16 MB while the old one has ~24 MB of room, so the bytes of a few dozen large
 * bodies (each read, then joined: ~2x its size in Buffers until a GC frees them) started a full
 * mark-compact every ~100 ms. 108 KB agent requests one at a time after a c16 burst: ~40
 * mark-compacts in 3,000 requests and 1.0-1.6 ms of gateway CPU each; with this 3-4 and 0.44-0.69 ms
 * (gateway pinned to one core; see also npm run bench, Claude Code-sized row). At 50 % the storm stayed.
 * V8 reads both flags at each decision, so they work when set at run time.
 */
export function markOldGenerationByFill(): void {
  v8.setFlagsFromString('--incremental-marking-soft-trigger=80')
  v8.setFlagsFromString('--incremental-marking-hard-trigger=95')
}

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' } | { type: 'minor' }

/** V8's gc() without --expose-gc on the command line: exposed to one new context, then hidden again. */
function exposeGc(): (o: GcOptions) => void {
  v8.setFlagsFromString('--expose-gc')
  try {
    return vm.runInNewContext('gc') as (o: GcOptions) => void
  } finally {
    v8.setFlagsFromString('--no-expose-gc')
  }
}

let gcFn: ((o: GcOptions) => void) | undefined

/**
 * One memory-reducing full GC now (~40 ms): for the end of the start, whose garbage (module
 * initialisation, migrations, the first routing compile) would otherwise keep ~3.5 MB of pages
 * resident until V8's own reducer gets to it, if it ever does on an idle process.
 */
export function releaseMemoryNow(): void {
  ;(gcFn ??= exposeGc())({ type: 'major', execution: 'sync', flavor: 'last-resort' })
}

export type IdleRelease = { stop(): void; releases(): number }

/**
 * Checks every `checkMs`: when the last interval was idle (event loop busy < `idleBelow` of it) and
 * the loop did at least `busyMs` of work since the last release, runs the memory-reducing GC.
 */
export function releaseMemoryWhenIdle(o: { checkMs?: number; idleBelow?: number; busyMs?: number } = {}): IdleRelease {
  const checkMs = o.checkMs ?? 10_000
  const idleBelow = o.idleBelow ?? 0.01
  const busyMs = o.busyMs ?? 200
  const gc = (gcFn ??= exposeGc())
  let last = performance.eventLoopUtilization()
  let workSinceRelease = 0
  let count = 0
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    const window = performance.eventLoopUtilization(now, last)
    last = now
    if (window.utilization >= idleBelow || workSinceRelease < busyMs) {
      workSinceRelease += window.active
      return
    }
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    count++
    workSinceRelease = 0
    last = performance.eventLoopUtilization() // the GC's own time is not work
  }, checkMs)
  timer.unref()
  return { stop: () => clearInterval(timer), releases: () => count }
}

/** Large bodies between two young-generation GCs that make the gateway ask for one. */
const LARGE_BODIES_PER_GC = 8 * 1024 * 1024
let largeSinceGc = 0

/**
 * Called with the size of each large request body (≥ 16 KB). Their bytes live outside V8's heap and
 * die with the request, but only a GC frees them, and a gateway that allocates little on its heap per
 * request (large bodies' tools are not parsed) scavenges rarely: the bytes then pile up until V8's
 * external-memory limit forces full mark-compacts. Measured on 108 KB agent requests (1,000 after a
 * 3,000-request warm-up): 1 scavenge and 15 mark-compacts, 116 ms of pauses; asking for one
 * young-generation GC per 8 MB of bodies: 13 scavenges and 2 mark-compacts, 34 ms, and ~40 % less
 * gateway CPU. It runs at once, as the body ends (~1 ms): run from setImmediate instead, the same
 * runs still had 17 mark-compacts.
 */
export function noteLargeBody(bytes: number): void {
  largeSinceGc += bytes
  if (largeSinceGc < LARGE_BODIES_PER_GC) return
  largeSinceGc = 0
  minorGc()
}

function minorGc(): void {
  ;(gcFn ??= exposeGc())({ type: 'minor' })
}
