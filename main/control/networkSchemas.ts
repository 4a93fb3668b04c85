/** Input schemas of the network commands (custom-host policy); spread into `schemas` by schemas.ts. */
import { z } from 'zod'
import { allowHostError } from '../network/upstreamHost.ts'

const allowHost = z
  .string()
  .max(300)
  .superRefine((entry, ctx) => {
    const problem = allowHostError(entry)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const networkSchemas = {
  'network:get': z.object({}).strict(),
  'network:set': z
    .object({
      allowLoopback: z.boolean().optional(),
      allowHosts: z.array(allowHost).max(500).optional(),
    })
    .strict(),
} as const
