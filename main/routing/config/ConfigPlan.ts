/**
 * The compiled, immutable form of a routing config (`compileConfig.ts`) and what planning a request
 * over it yields (`planAttempts.ts`). Every leaf already carries what it inherited from its ancestors,
 * so planning a request only walks the tree. Field names inside `target`, `retry` and `cache` are the
 * config's own (snake_case), so they read like the JSON they came from. Types only.
 */
import type { QueryTest } from './compileQuery.ts'

export type RetryPolicy = {
  /** 0 to 5 retries after the first try. */
  readonly attempts: number
  /** The statuses that are retried: the config's, else Portkey's defaults. */
  readonly on_status_codes: readonly number[]
  readonly use_retry_after_headers: boolean
}

export type CachePolicy = {
  readonly mode: 'simple' | 'semantic'
  /** Seconds; null when the config sets none. */
  readonly max_age: number | null
}

export type AttemptTarget = {
  readonly name: string | null
  /** A provider kind (`openai`) or a catalog integration (`@slug`); null with a legacy virtual_key only. */
  readonly provider: string | null
  readonly virtual_key: string | null
  readonly api_key: string | null
  /** The target's own, else inherited from the nearest ancestor that sets one (as Portkey does). */
  readonly custom_host: string | null
  readonly forward_headers: readonly string[] | null
}

type NodeBase = {
  /** Index path from the root, e.g. [1, 0] for config.targets[1].targets[0]. */
  readonly path: readonly number[]
  /** Portkey's `x-portkey-last-used-option-index` form: `config.targets[1].targets[0]`. */
  readonly jsonPath: string
  readonly name: string | null
}

export type PlanLeaf = NodeBase & {
  readonly mode: 'leaf'
  readonly target: AttemptTarget
  readonly overrideParams: Readonly<Record<string, unknown>>
  readonly retry: RetryPolicy | null
  readonly requestTimeoutMs: number | null
  readonly cache: CachePolicy | null
  /** `strict_open_ai_compliance`, the target's own else inherited; null: the request's header decides (default strict). */
  readonly strictOpenAiCompliance: boolean | null
}

export type PlanSingle = NodeBase & { readonly mode: 'single'; readonly children: readonly PlanNode[] }

export type PlanFallback = NodeBase & {
  readonly mode: 'fallback'
  readonly children: readonly PlanNode[]
  /** null: any non-2xx falls through (Portkey's default). */
  readonly onStatusCodes: readonly number[] | null
}

export type PlanLoadbalance = NodeBase & {
  readonly mode: 'loadbalance'
  readonly children: readonly PlanNode[]
  /** Per child, default 1. */
  readonly weights: readonly number[]
  readonly totalWeight: number
}

export type PlanConditional = NodeBase & {
  readonly mode: 'conditional'
  readonly children: readonly PlanNode[]
  /** In config order; `then` is a child index. */
  readonly conditions: readonly { readonly test: QueryTest; readonly then: number }[]
  readonly defaultIndex: number
}

export type PlanGroup = PlanSingle | PlanFallback | PlanLoadbalance | PlanConditional
export type PlanNode = PlanLeaf | PlanGroup

export type ConfigPlan = { readonly root: PlanNode }

/**
 * One enclosing fallback group the attempt can fall out of, innermost first: when the response status
 * matches `on` (null: any non-2xx), continue at `attempts[next]`.
 */
export type FallbackStep = { readonly on: readonly number[] | null; readonly next: number }

export type Attempt = {
  readonly target: AttemptTarget
  readonly overrideParams: Readonly<Record<string, unknown>>
  readonly retry: RetryPolicy | null
  readonly requestTimeoutMs: number | null
  readonly cache: CachePolicy | null
  readonly strictOpenAiCompliance: boolean | null
  /**
   * The statuses after which another attempt follows: `[]` never (last attempt, or not under a
   * fallback), `null` any non-2xx, else these codes. Where to go is `nextAttemptIndex`.
   */
  readonly fallbackOn: readonly number[] | null
  readonly fallbacks: readonly FallbackStep[]
  readonly path: readonly number[]
  readonly jsonPath: string
}
