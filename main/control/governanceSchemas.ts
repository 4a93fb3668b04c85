/**
 * Input schemas of the governance commands (zod): limits, provisioning, model access, custom models,
 * prices, API key settings. Spread into `schemas` by schemas.ts; validation only, no behaviour.
 */
import { z } from 'zod'
import { isTimeZone } from '../limits/zonedTime.ts'

const id = z.string().min(1)
const none = z.object({}).strict()
const micros = z.number().int().min(0)
const timeZone = z.string().refine(isTimeZone, 'not a known IANA time zone')

export const budgetPeriod = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('weekly') }).strict(),
  z.object({ kind: z.literal('monthly') }).strict(),
  z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(3660) }).strict(),
])

const budgetCommon = {
  period: budgetPeriod,
  startsAt: z.number().int().optional(),
  alertThresholds: z.array(z.number().int().min(1).max(1000)).max(10).optional(),
  timeZone: timeZone.optional(),
}

export const budget = z.discriminatedUnion('unit', [
  z.object({ unit: z.literal('usd'), limitMicros: micros, ...budgetCommon }).strict(),
  z.object({ unit: z.literal('tokens'), limitTokens: z.number().int().min(0), ...budgetCommon }).strict(),
])

export const rateLimit = z
  .object({ unit: z.enum(['requests', 'tokens']), limit: z.number().int().min(0), per: z.enum(['minute', 'hour', 'day']) })
  .strict()

export const limitPolicy = z
  .object({
    budgets: z.array(budget).max(20).optional(),
    rateLimits: z.array(rateLimit).max(20).optional(),
    maxConcurrent: z.number().int().min(0).nullable().optional(),
  })
  .strict()

export const scopeKind = z.enum(['integration', 'provisioning', 'provider', 'workspace', 'apiKey'])

export const priceInput = z
  .object({
    inputMicrosPerMTok: micros,
    outputMicrosPerMTok: micros,
    cacheReadMicrosPerMTok: micros.optional(),
    cacheWriteMicrosPerMTok: micros.optional(),
    reasoningMicrosPerMTok: micros.optional(),
  })
  .strict()

const models = z.array(z.string().min(1)).max(10_000)

export const governanceSchemas = {
  'workspaces:archive': z.object({ id, archived: z.boolean().optional() }).strict(),
  'limits:get': z.object({ scope: scopeKind, id }).strict(),
  'limits:set': z.object({ scope: scopeKind, id, policy: limitPolicy.nullable() }).strict(),
  'limits:status': z.object({ scope: scopeKind.optional(), id: id.optional() }).strict(),
  'limitSettings:get': none,
  'limitSettings:set': z.object({ timeZone: timeZone.optional(), defaultMaxOutputTokens: z.number().int().min(1).max(10_000_000).optional() }).strict(),
  'provisioning:list': z.object({ integrationId: id }).strict(),
  'provisioning:set': z.object({ integrationId: id, workspaceId: id, enabled: z.boolean().optional(), limits: limitPolicy.nullable().optional() }).strict(),
  'provisioning:setDefaults': z.object({ integrationId: id, autoProvision: z.boolean().optional(), defaultLimits: limitPolicy.nullable().optional() }).strict(),
  'modelAccess:get': z.object({ integrationId: id }).strict(),
  'modelAccess:set': z
    .object({ integrationId: id, autoEnableNew: z.boolean().optional(), enable: models.optional(), disable: models.optional(), all: z.enum(['enable', 'disable', 'reset']).optional() })
    .strict(),
  'customModels:list': z.object({ integrationId: id }).strict(),
  'customModels:upsert': z
    .object({
      integrationId: id,
      model: z.string().min(1).max(200),
      kind: z.enum(['fine-tuned', 'self-hosted', 'private', 'override']).optional(),
      price: priceInput.nullable().optional(),
      maxInputTokens: z.number().int().min(1).nullable().optional(),
      maxOutputTokens: z.number().int().min(1).nullable().optional(),
    })
    .strict(),
  'customModels:delete': z.object({ integrationId: id, model: z.string().min(1) }).strict(),
  'pricing:list': z.object({ providerSlug: z.string().min(1), models: models.optional() }).strict(),
  'pricing:setIntegration': z.object({ integrationId: id, price: priceInput.nullable() }).strict(),
  'keys:get': z.object({ id }).strict(),
  'keys:update': z
    .object({
      id,
      name: z.string().min(1).optional(),
      expiresAt: z.number().int().nullable().optional(),
      scopes: z.array(z.enum(['chat', 'completions', 'embeddings', 'models', 'messages', 'count_tokens', 'responses'])).nullable().optional(),
      providerSlugs: z.array(z.string().min(1)).nullable().optional(),
      defaultMetadata: z.record(z.string(), z.string().max(512)).nullable().optional(),
      defaultConfig: z.record(z.string(), z.unknown()).nullable().optional(),
      limits: limitPolicy.nullable().optional(),
    })
    .strict(),
} as const
