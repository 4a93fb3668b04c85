/**
 * Type-level tests, run by the typecheck step of `npm test` (tsc -p .), not by node --test.
 * Each `@ts-expect-error` line is drift that must fail to compile. If a check is ever rewritten in
 * the old style (`A extends B ? true : never`, which compiles on a mismatch), the directive goes
 * unused and tsc fails here.
 */
import { z } from 'zod'
import type { GuardrailCheck } from '../../preload/contract.ts'
import { schemas } from '../../main/control/schemas.ts'
import type { Disagrees, NoDrift, SchemaDrift } from '../../main/control/SchemaDrift.ts'

/** The real schemas agree with the contract. */
export type Today = NoDrift<SchemaDrift<typeof schemas>>

const { 'keys:revoke': _revoke, ..._withoutRevoke } = schemas
// @ts-expect-error a command without a schema (the runtime would answer not_found)
export type MissingSchema = NoDrift<SchemaDrift<typeof _withoutRevoke>>

const _withExtra = { ...schemas, 'keys:rotate': z.object({ id: z.string() }).strict() }
// @ts-expect-error a schema for a command the contract does not have
export type ExtraSchema = NoDrift<SchemaDrift<typeof _withExtra>>

const _parsesOtherShape = { ...schemas, 'keys:revoke': z.object({ id: z.number() }).strict() }
// @ts-expect-error a schema that hands the handler something else than the contract's input
export type ParsesOtherShape = NoDrift<SchemaDrift<typeof _parsesOtherShape>>

const _rejectsContractInput = { ...schemas, 'workspaces:create': z.object({ slug: z.string(), name: z.string() }).strict() }
// @ts-expect-error a schema that rejects an input the contract allows (no `name`)
export type RejectsContractInput = NoDrift<SchemaDrift<typeof _rejectsContractInput>>

const _narrowCheck = z.object({ type: z.literal('secrets'), action: z.literal('log') })
// @ts-expect-error a guardrail schema that accepts fewer checks than GuardrailCheck
export type NarrowGuardrail = NoDrift<Disagrees<typeof _narrowCheck, GuardrailCheck, 'GuardrailCheck'>>

/** The old pattern, for the record: it compiles although the types disagree. */
export type OldPattern = { id: number } extends { id: string } ? true : never
