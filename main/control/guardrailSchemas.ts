/** Input schemas of the guardrail commands; spread into `schemas` by schemas.ts. The set's own schema is main/guardrails/guardrailSet.ts. */
import { z } from 'zod'
import type { GuardrailCheck } from '../../preload/contract.ts'
import { guardrailCheck, guardrailSet } from '../guardrails/guardrailSet.ts'
import type { Disagrees, NoDrift } from './SchemaDrift.ts'

export { guardrailSet }

/** A tsc error unless the schema parses to the contract's GuardrailCheck and accepts every one. */
export type _GuardrailCheckMatches = NoDrift<Disagrees<typeof guardrailCheck, GuardrailCheck, 'GuardrailCheck'>>

export const guardrailSchemas = {
  'guardrails:get': z.object({ workspaceId: z.string().min(1) }).strict(),
  'guardrails:set': z.object({ workspaceId: z.string().min(1), guardrails: guardrailSet.nullable() }).strict(),
} as const
