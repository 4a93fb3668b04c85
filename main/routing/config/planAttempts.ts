/**
 * Plans one request over a compiled config: the ordered leaf targets to try. `single` takes its
 * first target; `fallback` all of its targets in order; `loadbalance` one target drawn by weight
 * (with the injected `random`, as Portkey draws `random() * totalWeight`); `conditional` the target
 * of the first matching condition, else the default; each recursively, to any depth. Each attempt
 * says when to fall through and where to (`fallbacks`, innermost group first); `nextAttemptIndex`
 * reads that. Pure: no clock, no I/O.
 */
import type { QueryContext } from './compileQuery.ts'
import type { Attempt, ConfigPlan, FallbackStep, PlanLeaf, PlanLoadbalance, PlanNode } from './ConfigPlan.ts'

export type { Attempt, FallbackStep } from './ConfigPlan.ts'

export type PlanInput = {
  /** The request body's parameters (model, temperature, …), read by `params.*` queries. */
  params: Record<string, unknown>
  /** Request metadata (`x-portkey-metadata`), read by `metadata.*` queries. */
  metadata: Record<string, string>
}

const NEVER: readonly number[] = Object.freeze([])

export function planAttempts(plan: ConfigPlan, input: PlanInput, random: () => number): Attempt[] {
  const leaves: PlanLeaf[] = []
  const steps: FallbackStep[][] = []
  walk(plan.root, input, random, leaves, steps)
  const out: Attempt[] = new Array(leaves.length)
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i] as PlanLeaf
    const fallbacks = steps[i] as FallbackStep[]
    out[i] = {
      target: leaf.target,
      overrideParams: leaf.overrideParams,
      retry: leaf.retry,
      requestTimeoutMs: leaf.requestTimeoutMs,
      cache: leaf.cache,
      strictOpenAiCompliance: leaf.strictOpenAiCompliance,
      fallbackOn: fallbackOn(fallbacks),
      fallbacks,
      path: leaf.path,
      jsonPath: leaf.jsonPath,
    }
  }
  return out
}

function walk(node: PlanNode, ctx: QueryContext, random: () => number, leaves: PlanLeaf[], steps: FallbackStep[][]): void {
  switch (node.mode) {
    case 'leaf':
      leaves.push(node)
      steps.push([])
      return
    case 'single':
      return walk(node.children[0] as PlanNode, ctx, random, leaves, steps)
    case 'fallback': {
      const n = node.children.length
      for (let i = 0; i < n; i++) {
        const start = leaves.length
        walk(node.children[i] as PlanNode, ctx, random, leaves, steps)
        if (i === n - 1) break
        const step: FallbackStep = { on: node.onStatusCodes, next: leaves.length }
        for (let j = start; j < leaves.length; j++) (steps[j] as FallbackStep[]).push(step)
      }
      return
    }
    case 'loadbalance':
      return walk(node.children[pick(node, random())] as PlanNode, ctx, random, leaves, steps)
    case 'conditional': {
      let index = node.defaultIndex
      for (const c of node.conditions) {
        if (c.test(ctx)) {
          index = c.then
          break
        }
      }
      return walk(node.children[index] as PlanNode, ctx, random, leaves, steps)
    }
  }
}

/** Portkey's draw: r = random() × total, the first target whose weight exceeds what is left of r. */
export function pick(node: PlanLoadbalance, r: number): number {
  let left = r * node.totalWeight
  const w = node.weights
  let last = 0
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number
    if (wi <= 0) continue
    if (left < wi) return i
    left -= wi
    last = i
  }
  return last // random() of 1, or rounding: the last target that has weight
}

function fallbackOn(steps: readonly FallbackStep[]): readonly number[] | null {
  if (steps.length === 0) return NEVER
  if (steps.length === 1) return (steps[0] as FallbackStep).on
  const codes = new Set<number>()
  for (const s of steps) {
    if (s.on === null) return null
    for (const c of s.on) codes.add(c)
  }
  return [...codes].sort((a, b) => a - b)
}
