/**
 * The conformance self-test: one client profile's request shapes sent through the live gateway (real
 * HTTP, its own API key, so auth, governance, routing, translation and usage all apply) to one model.
 * Without `confirm` it sends nothing and says what it would send and what that may cost at most.
 * With it, it runs the steps in order (a tool result follows its call) and reports each.
 */
import { randomUUID } from 'node:crypto'
import type { SelfTestProfile, SelfTestReport, SelfTestStep } from '../../preload/contract.ts'
import { estimateInputTokens } from '../dialects/estimateInputTokens.ts'
import { takesReasoning } from '../gateway/upstreamOptions.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { readAnswer, type Answer } from './readAnswer.ts'
import { selfTestSteps, type Step } from './selfTestSteps.ts'

export type SelfTestDeps = {
  gatewayUrl: string
  table: RoutingTable
  /** A key for the run, revoked by `done` whatever happens. */
  key: { value: string; done(): void }
  /** Usage of the run's trace ids, once written. */
  usage(traceIds: string[]): { inputTokens: number; outputTokens: number; costMicros: number }
  timeoutMs?: number
}

/** Whether the model takes reasoning, when the route names its provider; unknown (an alias): tried. */
function reasoningSkip(model: string, table: RoutingTable): string | undefined {
  if (!model.startsWith('@') || !model.includes('/')) return undefined
  const slug = model.slice(1, model.indexOf('/'))
  const name = model.slice(model.indexOf('/') + 1)
  const p = table.providers.get(slug)
  if (!p) return undefined
  const dialect = p.spec.modelDialect ? p.spec.modelDialect(name, p.settings) : p.spec.dialect
  return takesReasoning({ dialect, model: name }) ? undefined : `${model} takes no reasoning settings`
}

export function planSelfTest(profile: SelfTestProfile, model: string, table: RoutingTable): { steps: Array<{ step: Step; skip?: string }>; estimate: SelfTestReport['estimate'] } {
  const skip = reasoningSkip(model, table)
  const steps = selfTestSteps[profile].map((step) => (step.reasoning && skip ? { step, skip } : { step }))
  const live = steps.filter((s) => !s.skip)
  const maxTokens = live.reduce((n, { step }) => n + step.maxTokens + estimateInputTokens(step.body(model, null)), 0)
  return { steps, estimate: { requests: live.length, maxTokens } }
}

export async function runSelfTest(profile: SelfTestProfile, model: string, deps: SelfTestDeps): Promise<SelfTestReport> {
  const { steps, estimate } = planSelfTest(profile, model, deps.table)
  const report: SelfTestStep[] = []
  const traceIds: string[] = []
  let previous: Answer | null = null
  try {
    for (const { step, skip } of steps) {
      if (skip) {
        report.push({ name: step.name, ok: true, skipped: skip, status: null, latencyMs: 0, notes: [] })
        continue
      }
      const traceId = `selftest-${randomUUID()}`
      traceIds.push(traceId)
      const started = performance.now()
      try {
        const res = await fetch(deps.gatewayUrl + step.path, {
          method: 'POST',
          headers: { authorization: `Bearer ${deps.key.value}`, 'content-type': 'application/json', 'x-portkey-trace-id': traceId, ...step.headers },
          body: JSON.stringify(step.body(model, previous)),
          signal: AbortSignal.timeout(deps.timeoutMs ?? 60_000),
        })
        const answer = readAnswer(res.status, res.headers.get('content-type') ?? '', await res.text())
        const latencyMs = Math.round(performance.now() - started)
        if (answer.status >= 400) {
          report.push({ name: step.name, ok: false, status: answer.status, latencyMs, notes: [errorText(answer)] })
          previous = null
          continue
        }
        const checked = step.check(answer, model)
        report.push({ name: step.name, ok: checked.ok, status: answer.status, latencyMs, notes: checked.notes })
        previous = answer
      } catch (err) {
        report.push({ name: step.name, ok: false, status: null, latencyMs: Math.round(performance.now() - started), notes: [`no answer: ${(err as Error).message}`] })
        previous = null
      }
    }
  } finally {
    deps.key.done()
  }
  return { profile, model, ran: true, estimate, steps: report, used: deps.usage(traceIds) }
}

function errorText(a: Answer): string {
  const e = (a.json as { error?: { message?: unknown } } | null)?.error
  const message = typeof e?.message === 'string' ? e.message : a.text.slice(0, 200)
  return `HTTP ${a.status}: ${message}`
}
