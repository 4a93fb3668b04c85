/**
 * The gateway's own work on a request body, in one process and without sockets: parse (scan, JSON,
 * deferred members), attribution, the reservation estimate, and the passthrough body (model spliced
 * into the caller's bytes). What issue 13 lists for its Claude Code-sized target (parse, guardrails,
 * reservation estimate, re-serialisation; the bench's gateway has no guardrails configured, so they
 * are a no-op there as here), apart from relaying the bytes, which the bare proxy measures.
 * Used by bench/run.ts; `npx node bench/bodyStages.ts` prints it alone.
 */
import { attributeCall } from '../main/gateway/attributeCall.ts'
import { LAZY_BODY_BYTES } from '../main/gateway/lazyBody.ts'
import { noteLargeBody } from '../main/v8Memory.ts'
import { parse } from '../main/gateway/parse.ts'
import { translate } from '../main/gateway/translate.ts'
import type { GatewayRequest, Route } from '../main/gateway/types.ts'
import { wireParts } from '../main/gateway/wireBody.ts'
import { estimateCall } from '../main/limits/estimateCall.ts'

// Only what translate reads of a passthrough route.
const route = { translate: false, spec: {}, injectStreamUsage: false, model: 'claude-sonnet-4-5' } as unknown as Route

function once(body: Buffer): number {
  if (body.length >= LAZY_BODY_BYTES) noteLargeBody(body.length) // as the gateway's body reader does
  const req = { body, headers: { 'anthropic-version': '2023-06-01' }, receivedAt: Date.now() } as unknown as GatewayRequest
  const call = attributeCall(parse(req, 'messages'), true)
  const estimate = estimateCall(call, body.length, undefined, false, 4096, req.receivedAt)
  const parts = wireParts(translate(route, call).body)
  return estimate.tokens + parts.length
}

/** CPU µs per request over `bodies` in turn: `n` requests after a warm-up. */
function cpuOver(bodies: readonly Buffer[], n: number): number {
  const a = process.cpuUsage()
  let sink = 0
  for (let i = 0; i < n; i++) sink += once(bodies[i % bodies.length] as Buffer)
  const d = process.cpuUsage(a)
  if (sink < 0) throw new Error('unreachable')
  return (d.user + d.system) / n
}

const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)] as number

/**
 * CPU µs per request of the small and the big bodies (each a list sent in turn, as a session's calls
 * are), medians of `rounds` alternating rounds of `n` requests, after a warm-up.
 */
export function bodyStageCpu(small: readonly Buffer[], big: readonly Buffer[], rounds = 7, n = 2000): { small: number; big: number; ratio: number } {
  for (let i = 0; i < 3 * n; i++) once(i % 2 ? (big[i % big.length] as Buffer) : (small[i % small.length] as Buffer)) // JIT warm-up, as a gateway that has served a while
  const s: number[] = []
  const b: number[] = []
  const r: number[] = []
  for (let k = 0; k < rounds; k++) {
    // Alternating which goes first, so a slow spell of the machine does not always land on one body.
    let x: number
    let y: number
    if (k % 2) {
      x = cpuOver(small, n)
      y = cpuOver(big, n)
    } else {
      y = cpuOver(big, n)
      x = cpuOver(small, n)
    }
    s.push(x)
    b.push(y)
    r.push(y / x)
  }
  return { small: median(s), big: median(b), ratio: median(r) }
}

/** CPU µs per request of bodies none of which was sent before (medians of `rounds` passes over fresh lists). */
export function firstSightCpu(fresh: (count: number, from: number) => Buffer[], rounds = 5, count = 100): number {
  const out: number[] = []
  for (let k = 0; k < rounds; k++) out.push(cpuOver(fresh(count, k * count), count))
  return median(out)
}

if (import.meta.main) {
  const { agentBodies } = await import('./agentBodies.ts')
  const bodies = agentBodies()
  if (!bodies) throw new Error('no ../shared Claude Code fixture')
  const r = bodyStageCpu(bodies.small, bodies.session)
  const kb = (b: readonly Buffer[]) => (b.reduce((s, x) => s + x.length, 0) / b.length / 1024).toFixed(1)
  console.log(`gateway stages on the body (parse, attribution, estimate, passthrough body), one process: ${r.big.toFixed(1)} µs (${kb(bodies.session)} KB, a session's calls) vs ${r.small.toFixed(1)} µs (${kb(bodies.small)} KB): ${r.ratio.toFixed(2)}×`)
  const first = firstSightCpu(bodies.firstSight)
  console.log(`  tools never sent before: ${first.toFixed(1)} µs (${(first / r.small).toFixed(2)}× the small body)`)
}
