/**
 * The routing config JSON as Portkey documents it (snake_case keys, as users write it in
 * `x-portkey-config` or a saved config): a target is itself a config, so groups nest to any depth.
 * Types only; `configSchema.ts` is the validator that produces them.
 */

export type StrategyMode = 'single' | 'fallback' | 'loadbalance' | 'conditional'

export const strategyModes: readonly StrategyMode[] = ['single', 'fallback', 'loadbalance', 'conditional']

export interface ConfigCondition {
  /** Portkey's query syntax: `{ "metadata.user_plan": { "$eq": "paid" } }`, `$and`/`$or` arrays. */
  query: Record<string, unknown>
  /** The `name` of a sibling target. */
  then: string
}

export interface ConfigStrategy {
  mode: StrategyMode
  /** fallback only: the statuses that fall through to the next target (default: any non-2xx). */
  on_status_codes?: number[]
  /** conditional only. */
  conditions?: ConfigCondition[]
  /** conditional only: the target name used when no condition matches. */
  default?: string
}

export interface ConfigRetry {
  /** 0 to 5. */
  attempts: number
  /** Replaces the default retry statuses when present. */
  on_status_codes?: number[]
  use_retry_after_headers?: boolean
  /** The spelling Portkey's open-source gateway reads; same meaning. */
  use_retry_after_header?: boolean
}

export interface ConfigCache {
  mode: 'simple' | 'semantic'
  /** Seconds. */
  max_age?: number
}

export interface PortkeyConfig {
  name?: string
  strategy?: ConfigStrategy
  targets?: PortkeyConfig[]
  /** A provider kind (`openai`) or a catalog integration (`@slug`). */
  provider?: string
  virtual_key?: string
  api_key?: string
  custom_host?: string
  override_params?: Record<string, unknown>
  forward_headers?: string[]
  retry?: ConfigRetry
  /** Milliseconds. */
  request_timeout?: number
  cache?: ConfigCache
  /** false: OpenAI chat answers from Anthropic keep its content blocks and stop reasons (Portkey's option; default true). */
  strict_open_ai_compliance?: boolean
  /** loadbalance: relative weight, default 1. */
  weight?: number
}
