/**
 * Compile-time ties between the zod schemas and the contract's types. A check written as
 * `A extends B ? true : never` compiles either way; these put the mismatch in a type parameter's
 * constraint, so drift is a tsc error that names the command (or field) that drifted.
 */
import type { z } from 'zod'
import type { CommandInput, CommandName } from '../../preload/contract.ts'

/** Compiles only when `T` is never; otherwise the error shows `T`. */
export type NoDrift<T extends never> = T

/** `never` when the schema parses to a `T` and accepts every `T`; otherwise `Label`. */
export type Disagrees<Schema extends z.ZodType, T, Label> = [z.output<Schema>] extends [T]
  ? [T] extends [z.input<Schema>]
    ? never
    : Label
  : Label

/** The commands whose schema is missing, has no command, or disagrees with the command's input type. */
export type SchemaDrift<S extends Record<string, z.ZodType>> =
  | Exclude<CommandName, keyof S>
  | Exclude<keyof S, CommandName>
  | { [N in CommandName & keyof S]: Disagrees<S[N], CommandInput<N>, N> }[CommandName & keyof S]
