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

/** CPU µs per request of each body, medians of `rounds` alternating rounds of `n` requests (after a warm-up). */
export function bodyStageCpu(small: Buffer, big: Buffer, rounds = 7, n = 2000): { small: number; big: number; ratio: number } {
  const cpu = (body: Buffer): number => {
    const a = process.cpuUsage()
    let sink = 0
    for (let i = 0; i < n; i++) sink += once(body)
    const d = process.cpuUsage(a)
    if (sink < 0) throw new Error('unreachable')
    return (d.user + d.system) / n
  }
  for (let i = 0; i < 3 * n; i++) once(i % 2 ? big : small) // JIT warm-up, as a gateway that has served a while
  const s: number[] = []
  const b: number[] = []
  const r: number[] = []
  for (let k = 0; k < rounds; k++) {
    // Alternating which goes first, so a slow spell of the machine does not always land on one body.
    let x: number
    let y: number
    if (k % 2) {
      x = cpu(small)
      y = cpu(big)
    } else {
      y = cpu(big)
      x = cpu(small)
    }
    s.push(x)
    b.push(y)
    r.push(y / x)
  }
  const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)] as number
  return { small: median(s), big: median(b), ratio: median(r) }
}

if (import.meta.main) {
  const { readFileSync } = await import('node:fs')
  const fixture = JSON.parse(readFileSync(new URL('../../shared/fixtures/clients/claude-code-api-key/002-POST_v1_messages.json', import.meta.url), 'utf8')) as { body: Record<string, unknown> & { tools: Array<{ name: string }> } }
  const fx = fixture.body
  const tools = [...fx.tools]
  let big = JSON.stringify({ ...fx, model: '@anth/claude-x', stream: false, tools })
  for (let c = 2; big.length < 102_400; c++) {
    tools.push(...fx.tools.map((t) => ({ ...t, name: `${t.name}_${c}` })))
    big = JSON.stringify({ ...fx, model: '@anth/claude-x', stream: false, tools })
  }
  const small = JSON.stringify({ model: '@anth/claude-x', max_tokens: 1024, stream: false, metadata: fx.metadata, system: [{ type: 'text', text: 'hi' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Please say hello. '.repeat(50) }] }] })
  const r = bodyStageCpu(Buffer.from(small), Buffer.from(big))
  console.log(`gateway stages on the body (parse, attribution, estimate, passthrough body), one process: ${r.big.toFixed(1)} µs (${(big.length / 1024).toFixed(0)} KB) vs ${r.small.toFixed(1)} µs (${(small.length / 1024).toFixed(1)} KB): ${r.ratio.toFixed(2)}×`)
}
