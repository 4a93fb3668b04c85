/** Input schemas of the usage analytics and log commands; spread into `schemas` by schemas.ts. */
import { z } from 'zod'

const filter = {
  since: z.number().int(),
  until: z.number().int().optional(),
  workspaceId: z.string().min(1).optional(),
  providerSlug: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  apiKeyId: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
  branch: z.string().min(1).optional(),
  metadata: z.record(z.string().min(1).max(100), z.string().max(500)).optional(),
}

export const analyticsSchemas = {
  'usage:analytics': z
    .object({
      ...filter,
      groupBy: z
        .union([z.enum(['workspace', 'provider', 'model', 'apiKey', 'project', 'branch']), z.templateLiteral(['metadata:', z.string().min(1).max(100)])])
        .optional(),
      utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
      maxGroups: z.number().int().min(1).max(50).optional(),
    })
    .strict()
    .refine((q) => (q.until ?? Date.now()) - q.since <= 400 * 24 * 3_600_000, { message: 'a chart covers at most 400 days', path: ['since'] }),
  'usage:facets': z.object({ since: z.number().int(), until: z.number().int().optional() }).strict(),
  'usage:logs': z
    .object({
      ...filter,
      since: z.number().int().optional(),
      status: z.enum(['ok', 'error']).optional(),
      search: z.string().max(200).optional(),
      before: z.object({ createdAt: z.number().int(), id: z.number().int() }).strict().optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  'usage:get': z.object({ id: z.number().int().positive() }).strict(),
  'usage:body': z.object({ id: z.number().int().positive() }).strict(),
} as const
