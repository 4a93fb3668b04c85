/** Model alias commands: a scope's ordered list, read and replaced whole; targets checked against the catalog. */
import type { ModelAlias } from '../../preload/contract.ts'
import type { AliasScope } from '../store/aliasesRepo.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function aliasHandlers(ctx: HandlerContext) {
  const { store, changed } = ctx

  function scopeOf(a: { workspaceId?: string; apiKeyId?: string }): AliasScope {
    if ((a.workspaceId === undefined) === (a.apiKeyId === undefined)) {
      throw new ControlError('invalid_input', 'give exactly one of workspaceId or apiKeyId', 'workspaceId')
    }
    if (a.apiKeyId !== undefined) {
      if (!store.apiKeys.get(a.apiKeyId)) throw new ControlError('not_found', `no API key '${a.apiKeyId}'`, 'apiKeyId')
      return { apiKeyId: a.apiKeyId }
    }
    const w = store.workspaces.get(a.workspaceId as string) ?? store.workspaces.getBySlug(a.workspaceId as string)
    if (!w) throw new ControlError('not_found', `no workspace '${a.workspaceId}'`, 'workspaceId')
    return { workspaceId: w.id }
  }

  function checkTargets(aliases: ModelAlias[]): void {
    aliases.forEach((a, i) => {
      const slug = a.target.slice(1, a.target.indexOf('/'))
      if (!store.providers.getBySlug(slug)) {
        throw new ControlError('invalid_input', `no provider @${slug}`, `aliases[${i}].target`)
      }
    })
  }

  return {
    'aliases:list': (a) => store.aliases.list(scopeOf(a)),
    'aliases:set': (a) => {
      const scope = scopeOf(a)
      checkTargets(a.aliases)
      store.aliases.replace(scope, a.aliases)
      changed('aliases changed')
      return store.aliases.list(scope)
    },
  } satisfies Partial<Handlers>
}
