/** Input schemas of the workbench commands (dry-run, guardrail test, settings, tool files); spread into `schemas`. */
import { z } from 'zod'
import { guardrailSet } from './guardrailSchemas.ts'

const tool = z.enum(['claude-code', 'codex', 'continue', 'cline', 'openai'])
const toolApply = z
  .object({ tool, apiKey: z.string().min(1).max(500).optional(), model: z.string().min(1).max(300).optional() })
  .strict()

export const workbenchSchemas = {
  'routing:dryRun': z
    .object({
      config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
      model: z.string().min(1).max(300).optional(),
      params: z.record(z.string(), z.unknown()).optional(),
      metadata: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  'guardrails:test': z
    .object({
      text: z.string().max(200_000),
      stage: z.enum(['input', 'output']).optional(),
      workspaceId: z.string().min(1).optional(),
      guardrails: guardrailSet.optional(),
    })
    .strict()
    .refine((a) => (a.workspaceId === undefined) !== (a.guardrails === undefined), { path: ['guardrails'], message: 'give exactly one of workspaceId or guardrails' }),
  'settings:get': z.object({}).strict(),
  'settings:set': z
    .object({
      port: z.number().int().min(0).max(65535).optional(),
      host: z.string().min(1).max(255).regex(/^[A-Za-z0-9.:_\-[\]]+$/, 'an IP address or hostname').optional(),
      logRetentionDays: z.number().int().min(1).max(3650).nullable().optional(),
      bodyCapture: z.boolean().optional(),
      notifyThresholds: z.array(z.number().int().min(1).max(1000)).max(10).optional(),
      launchAtLogin: z.boolean().optional(),
    })
    .strict(),
  'tools:list': z.object({}).strict(),
  'tools:preview': toolApply,
  'tools:apply': toolApply,
  'tools:restore': z.object({ tool }).strict(),
} as const
