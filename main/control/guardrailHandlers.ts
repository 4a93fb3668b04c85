/** Guardrail commands: a workspace's guardrail set, read and replaced whole; live for the next request. */
import type { GuardrailSet } from '../../preload/contract.ts'
import { compileGuardrails } from '../guardrails/guardrails.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function guardrailHandlers(ctx: HandlerContext) {
  const { store, changed } = ctx

  function workspaceOf(idOrSlug: string) {
    const w = store.workspaces.get(idOrSlug) ?? store.workspaces.getBySlug(idOrSlug)
    if (!w) throw new ControlError('not_found', `no workspace '${idOrSlug}'`, 'workspaceId')
    return w
  }

  return {
    'guardrails:get': (a) => {
      const w = workspaceOf(a.workspaceId)
      return { workspaceId: w.id, guardrails: store.guardrails.get(w.id) }
    },
    'guardrails:set': (a) => {
      const w = workspaceOf(a.workspaceId)
      const set = a.guardrails as GuardrailSet | null
      if (set) {
        try {
          compileGuardrails(set)
        } catch (err) {
          throw new ControlError('invalid_input', (err as Error).message, 'guardrails')
        }
      }
      store.guardrails.set(w.id, set)
      changed('guardrails changed')
      return { workspaceId: w.id, guardrails: store.guardrails.get(w.id) }
    },
  } satisfies Partial<Handlers>
}
