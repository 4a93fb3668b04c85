/**
 * The zod schema of a guardrail set: a workspace's (control/guardrailSchemas.ts) and a routing
 * config's top-level `guardrails` (routing/config/loadConfig.ts) share it, so it lives here, below both.
 */
import { z } from 'zod'
import type { GuardrailDetector } from '../../preload/contract.ts'
import { allDetectors } from './detectors.ts'

const detector = z.enum(allDetectors as [GuardrailDetector, ...GuardrailDetector[]])
const action = z.enum(['log', 'redact', 'block'])
const checkId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'use 1-63 letters, digits, ".", "-" or "_"').optional()
const conditionAction = z.enum(['log', 'block'], { message: 'this check has no spans to redact: use "log" or "block"' })

const detectorCheck = z.object({ id: checkId, type: z.enum(['secrets', 'pii']), action, detectors: z.array(detector).max(50).optional() }).strict()
const regexCheck = z
  .object({
    id: checkId,
    type: z.literal('regex'),
    action,
    pattern: z.string().min(1).max(2000),
    flags: z.string().regex(/^[imsuv]*$/, 'flags: any of i, m, s, u, v').optional(),
    mode: z.enum(['forbid', 'require']).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    try {
      new RegExp(c.pattern, c.flags)
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: (err as Error).message })
    }
    if (c.mode === 'require' && c.action === 'redact') ctx.addIssue({ code: 'custom', path: ['action'], message: 'a required pattern has nothing to redact: use "log" or "block"' })
  })
const containsCheck = z
  .object({
    id: checkId,
    type: z.literal('contains'),
    action,
    words: z.array(z.string().min(1).max(500)).min(1).max(500),
    operator: z.enum(['none', 'any', 'all']),
    caseSensitive: z.boolean().optional(),
  })
  .strict()
  .refine((c) => c.operator === 'none' || c.action !== 'redact', { path: ['action'], message: 'only operator "none" finds words to redact: use "log" or "block"' })
const lengthCheck = z
  .object({
    id: checkId,
    type: z.literal('length'),
    action: conditionAction,
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
    unit: z.enum(['characters', 'words']).optional(),
  })
  .strict()
  .refine((c) => c.min !== undefined || c.max !== undefined, { path: ['max'], message: 'give min, max or both' })
const jsonSchemaCheck = z
  .object({ id: checkId, type: z.literal('json_schema'), action: conditionAction, schema: z.record(z.string(), z.unknown()) })
  .strict()
  .superRefine((c, ctx) => {
    try {
      z.fromJSONSchema(c.schema as Parameters<typeof z.fromJSONSchema>[0])
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['schema'], message: `not a usable JSON Schema: ${(err as Error).message}` })
    }
  })

export const guardrailCheck = z.discriminatedUnion('type', [detectorCheck, regexCheck, containsCheck, lengthCheck, jsonSchemaCheck])

/** Length and JSON-schema checks look at the answer: outputs only. */
const inputCheck = guardrailCheck.refine((c) => c.type !== 'length' && c.type !== 'json_schema', {
  path: ['type'],
  message: 'length and json_schema checks apply to outputs only',
})

export const guardrailSet = z
  .object({ input: z.array(inputCheck).max(50).optional(), output: z.array(guardrailCheck).max(50).optional() })
  .strict()
