/**
 * Zod schema of a Portkey routing config (https://portkey.ai/docs/product/ai-gateway/configs and the
 * pages it links: fallbacks, load balancing, conditional routing, automatic retries, request timeouts,
 * caching). Strict: an unknown key is an error at its path, except inside `override_params`, which is
 * request parameters. Shape only; the rules across fields (conditional names, weights, leaves naming a
 * provider) are in `validateConfig.ts`.
 */
import { z } from 'zod'
import { strategyModes, type PortkeyConfig, type StrategyMode } from './PortkeyConfig.ts'

// The validator lives next door; re-exported so `configSchema.ts` is the one import for both.
export { validateConfig, type ConfigError, type ValidationResult } from './validateConfig.ts'

const statusCode = z.number().int().min(100).max(599)
const nonEmpty = z.string().min(1)

const condition = z.strictObject({
  query: z.record(z.string(), z.unknown()),
  then: nonEmpty,
})

const strategy = z.strictObject({
  mode: z.enum(strategyModes as [StrategyMode, ...StrategyMode[]]),
  on_status_codes: z.array(statusCode).optional(),
  conditions: z.array(condition).optional(),
  default: nonEmpty.optional(),
})

const retry = z.strictObject({
  attempts: z.number().int().min(0).max(5),
  on_status_codes: z.array(statusCode).optional(),
  use_retry_after_headers: z.boolean().optional(),
  use_retry_after_header: z.boolean().optional(),
})

const cache = z.strictObject({
  // Semantic caching (optional in the issue) is not built: refused by name rather than run as exact match.
  mode: z.enum(['simple', 'semantic']).refine((m) => m === 'simple', 'only "simple" (exact-match) caching is available; semantic caching is not supported yet'),
  max_age: z.number().int().positive().optional(),
})

const customHost = nonEmpty.refine((s) => {
  try {
    const u = new URL(s)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}, 'must be an http(s) URL, e.g. http://localhost:11434/v1')

/** One node: the root config, or any target (which may itself have a strategy and targets). */
export const configSchema: z.ZodType<PortkeyConfig> = z.lazy(() => node)

const node = z.strictObject({
  name: nonEmpty.optional(),
  strategy: strategy.optional(),
  targets: z.array(configSchema).optional(),
  provider: nonEmpty.regex(/^\S+$/, 'no spaces: a provider kind like "openai" or "@slug"').optional(),
  virtual_key: nonEmpty.optional(),
  api_key: nonEmpty.optional(),
  custom_host: customHost.optional(),
  override_params: z.record(z.string(), z.unknown()).optional(),
  forward_headers: z.array(nonEmpty).optional(),
  retry: retry.optional(),
  request_timeout: z.number().int().positive().optional(),
  cache: cache.optional(),
  weight: z.number().min(0).finite().optional(),
  strict_open_ai_compliance: z.boolean().optional(),
})

/** Portkey keys this gateway does not take in configs, named so the error says so rather than "unknown". */
export const unsupportedPortkeyKeys: Readonly<Record<string, string>> = {
  input_guardrails: 'use Switchyard\'s `guardrails` key on the config\'s top level (the same shape as a workspace\'s guardrails)',
  output_guardrails: 'use Switchyard\'s `guardrails` key on the config\'s top level (the same shape as a workspace\'s guardrails)',
  before_request_hooks: 'hooks are not supported in routing configs',
  after_request_hooks: 'hooks are not supported in routing configs',
  cb_config: 'circuit breakers are built in and need no config',
  sticky: 'sticky load balancing is not supported',
}
