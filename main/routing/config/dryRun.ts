/**
 * A config's plan for one sample request, as the Routing screen shows it: the targets in the order
 * they would be tried, each with the model it would get. Pure: nothing is sent.
 */
import type { DryRunAttempt, DryRunResult } from '../../../preload/contract.ts'
import type { ConfigPlan, PlanNode } from './ConfigPlan.ts'
import { planAttempts } from './planAttempts.ts'

export function dryRun(
  plan: ConfigPlan,
  request: { model?: string; params?: Record<string, unknown>; metadata?: Record<string, string> },
  random: () => number = Math.random,
): DryRunResult {
  const params = { ...request.params, ...(request.model ? { model: request.model } : {}) }
  const attempts = planAttempts(plan, { params, metadata: request.metadata ?? {} }, random)
  return {
    random: hasLoadbalance(plan.root),
    attempts: attempts.map((a, i): DryRunAttempt => {
      const override = a.overrideParams.model
      return {
        jsonPath: a.jsonPath,
        name: a.target.name,
        provider: a.target.provider,
        model: typeof override === 'string' ? override : (request.model ?? null),
        retries: a.retry?.attempts ?? 0,
        fallbackOn: i === attempts.length - 1 ? [] : a.fallbackOn === null ? null : [...a.fallbackOn],
        hasApiKey: a.target.api_key !== null,
      }
    }),
  }
}

function hasLoadbalance(node: PlanNode): boolean {
  if (node.mode === 'loadbalance') return true
  return node.mode === 'leaf' ? false : node.children.some(hasLoadbalance)
}
