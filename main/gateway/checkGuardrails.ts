/**
 * Stage 3b: the workspace's guardrails on the request, before anything is reserved or sent. Redaction
 * rewrites the caller's body, so both paths send the redacted text: passthrough forwards that body, and
 * translation builds its canonical request (and the upstream's body) from it. A blocking check throws
 * `guardrail_blocked`, rendered in the caller's format, naming the check and never what it found.
 * `guardResponse` runs the output checks on a non-streamed answer in `streamBack`. Results go on the
 * usage row. A workspace without guardrails costs one map lookup.
 */
import type { GuardrailResult } from '../../preload/contract.ts'
import { inspectRequest, inspectResponse, createRedactor, type CompiledGuardrails, type Redactor } from '../guardrails/guardrails.ts'
import { log } from '../log.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import type { Call, Client } from './types.ts'

export type GuardrailRun = { compiled: CompiledGuardrails; redactor: Redactor; results: GuardrailResult[] }

export function checkGuardrails(
  ctx: { call: Call | null; client: Client | null; guardrails?: GuardrailRun | null },
  table: RoutingTable,
  fromConfig: CompiledGuardrails | null = null,
): void {
  const compiled = combine((ctx.client && table.guardrails?.get(ctx.client.workspaceId)) || null, fromConfig)
  const call = ctx.call
  if (!compiled || !call) return
  const run: GuardrailRun = { compiled, redactor: createRedactor(), results: [] }
  ctx.guardrails = run
  const verdict = inspectRequest(compiled, call.endpoint, call.body, run.redactor)
  run.results.push(...verdict.results)
  if (call.stream) {
    // A stream reaches the client as it arrives: output checks cannot hold it back, so they are recorded as skipped.
    for (const c of compiled.output) run.results.push({ check: c.id, stage: 'output', action: c.action, count: 0, where: [], skipped: 'streamed response' })
  }
  if (verdict.results.length) log.info('guardrails', { traceId: call.traceId, workspaceId: ctx.client?.workspaceId, results: verdict.results })
  if (verdict.blocked) throw new GatewayError('guardrail_blocked', verdict.blocked.message)
  if (verdict.body !== call.body) ctx.call = { ...call, body: verdict.body }
}

/** The output checks for a non-streamed body (the caller's dialect): the body to send, or a `guardrail_blocked` throw. */
export function guardResponse(run: GuardrailRun, call: Call): ((body: Buffer) => Buffer) | undefined {
  if (run.compiled.output.length === 0) return undefined
  return (raw) => {
    let json: unknown
    try {
      json = JSON.parse(raw.toString('utf8'))
    } catch {
      return raw
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return raw
    const verdict = inspectResponse(run.compiled, call.endpoint, json as Record<string, unknown>, run.redactor)
    run.results.push(...verdict.results)
    if (verdict.results.length) log.info('guardrails', { traceId: call.traceId, results: verdict.results })
    if (verdict.blocked) throw new GatewayError('guardrail_blocked', verdict.blocked.message)
    return verdict.body === json ? raw : Buffer.from(JSON.stringify(verdict.body))
  }
}

/** The workspace's checks, then the routing config's. */
function combine(a: CompiledGuardrails | null, b: CompiledGuardrails | null): CompiledGuardrails | null {
  if (!a || !b) return a ?? b
  return {
    input: [...a.input, ...b.input],
    output: [...a.output, ...b.output],
    inputDetectors: new Set([...a.inputDetectors, ...b.inputDetectors]),
    outputDetectors: new Set([...a.outputDetectors, ...b.outputDetectors]),
  }
}
