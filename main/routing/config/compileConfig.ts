/**
 * Compiles a validated routing config (`validateConfig`) into an immutable plan tree, applying
 * inheritance once so planning a request only walks the tree. The rules are those of Portkey's
 * gateway (`tryTargetsRecursively` in src/handlers/handlerUtils.ts of Portkey-AI/gateway: "merge
 * inherited config with current target config (preference given to current)"), at every level:
 *  - override_params: merged, the child's on top (`mergeOverrideParams.ts`: scalars and arrays last
 *    write wins, plain objects such as `metadata` deep-merged; Portkey's gateway spreads one level);
 *  - retry, cache: the child's object replaces the inherited one whole (no field-by-field merge);
 *  - request_timeout, forward_headers, custom_host, strict_open_ai_compliance: the child's own, else the inherited one.
 * Retry statuses default to Portkey's documented list when `retry.on_status_codes` is absent
 * (https://portkey.ai/docs/product/ai-gateway/automatic-retries). Loadbalance weights default to 1.
 * Throws on a config that `validateConfig` would refuse.
 */
import { compileQuery, type PathError } from './compileQuery.ts'
import type { CachePolicy, ConfigPlan, PlanNode, RetryPolicy } from './ConfigPlan.ts'
import { mergeOverrideParams } from './mergeOverrideParams.ts'
import type { ConfigCache, ConfigRetry, PortkeyConfig } from './PortkeyConfig.ts'

export type { ConfigPlan } from './ConfigPlan.ts'

/** Portkey's default retry statuses (docs, automatic retries). */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = Object.freeze([429, 500, 502, 503, 504, 529])

type Inherited = {
  readonly overrideParams: Readonly<Record<string, unknown>>
  readonly retry: RetryPolicy | null
  readonly cache: CachePolicy | null
  readonly requestTimeoutMs: number | null
  readonly forwardHeaders: readonly string[] | null
  readonly customHost: string | null
  readonly strictOpenAiCompliance: boolean | null
}

const root: Inherited = { overrideParams: {}, retry: null, cache: null, requestTimeoutMs: null, forwardHeaders: null, customHost: null, strictOpenAiCompliance: null }

export function compileConfig(config: PortkeyConfig): ConfigPlan {
  return deepFreeze({ root: compileNode(config, [], 'config', root) })
}

function compileNode(node: PortkeyConfig, path: readonly number[], jsonPath: string, parent: Inherited): PlanNode {
  const here: Inherited = {
    overrideParams: mergeOverrideParams(parent.overrideParams, node.override_params),
    retry: node.retry ? retryPolicy(node.retry) : parent.retry,
    cache: node.cache ? cachePolicy(node.cache) : parent.cache,
    requestTimeoutMs: node.request_timeout ?? parent.requestTimeoutMs,
    forwardHeaders: node.forward_headers ? [...node.forward_headers] : parent.forwardHeaders,
    customHost: node.custom_host ?? parent.customHost,
    strictOpenAiCompliance: node.strict_open_ai_compliance ?? parent.strictOpenAiCompliance,
  }
  const name = node.name ?? null
  const targets = node.targets
  if (!targets) {
    return {
      mode: 'leaf',
      path,
      jsonPath,
      name,
      target: {
        name,
        provider: node.provider ?? null,
        virtual_key: node.virtual_key ?? null,
        api_key: node.api_key ?? null,
        custom_host: here.customHost,
        forward_headers: here.forwardHeaders,
      },
      overrideParams: here.overrideParams,
      retry: here.retry,
      requestTimeoutMs: here.requestTimeoutMs,
      cache: here.cache,
      strictOpenAiCompliance: here.strictOpenAiCompliance,
    }
  }
  const strategy = node.strategy
  if (!strategy || targets.length === 0) throw new Error(`${jsonPath}: a target with targets needs a strategy and at least one target (validate the config first)`)
  const children = targets.map((t, i) => compileNode(t, [...path, i], `${jsonPath}.targets[${i}]`, here))
  const base = { path, jsonPath, name, children }
  switch (strategy.mode) {
    case 'single':
      return { mode: 'single', ...base }
    case 'fallback':
      return { mode: 'fallback', ...base, onStatusCodes: strategy.on_status_codes ? [...strategy.on_status_codes] : null }
    case 'loadbalance': {
      const weights = targets.map((t) => t.weight ?? 1)
      const totalWeight = weights.reduce((a, b) => a + b, 0)
      if (!(totalWeight > 0)) throw new Error(`${jsonPath}: every loadbalance weight is 0`)
      return { mode: 'loadbalance', ...base, weights, totalWeight }
    }
    case 'conditional': {
      const index = (name: string): number => {
        const i = targets.findIndex((t) => t.name === name)
        if (i < 0) throw new Error(`${jsonPath}: no target named "${name}"`)
        return i
      }
      const errors: PathError[] = []
      const conditions = (strategy.conditions ?? []).map((c, i) => ({ test: compileQuery(c.query, `${jsonPath}.strategy.conditions[${i}].query`, errors), then: index(c.then) }))
      if (errors.length) throw new Error(errors.map((e) => `${e.path}: ${e.message}`).join('; '))
      if (strategy.default === undefined) throw new Error(`${jsonPath}: conditional needs a default`)
      return { mode: 'conditional', ...base, conditions, defaultIndex: index(strategy.default) }
    }
  }
}

function retryPolicy(r: ConfigRetry): RetryPolicy {
  return {
    attempts: r.attempts,
    on_status_codes: r.on_status_codes ? [...r.on_status_codes] : DEFAULT_RETRY_STATUS_CODES,
    // On unless a config turns it off: waiting what the server asked for is the polite default (Portkey's is off).
    use_retry_after_headers: r.use_retry_after_headers ?? r.use_retry_after_header ?? true,
  }
}

function cachePolicy(c: ConfigCache): CachePolicy {
  return { mode: c.mode, max_age: c.max_age ?? null }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}
