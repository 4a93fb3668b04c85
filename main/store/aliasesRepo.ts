/** Rows of `model_aliases`: an ordered list per scope (one workspace or one API key), replaced whole. */
import type { ModelAlias } from '../../preload/contract.ts'
import { newId } from '../ids.ts'
import type { Db } from './openDb.ts'

export type AliasScope = { workspaceId: string } | { apiKeyId: string }

type Row = { workspace_id: string | null; api_key_id: string | null; pattern: string; target: string }

export function aliasesRepo(db: Db) {
  const all = db.prepare<[], Row>('SELECT workspace_id, api_key_id, pattern, target FROM model_aliases ORDER BY position')
  const ofWorkspace = db.prepare<[string], Row>('SELECT workspace_id, api_key_id, pattern, target FROM model_aliases WHERE workspace_id = ? ORDER BY position')
  const ofKey = db.prepare<[string], Row>('SELECT workspace_id, api_key_id, pattern, target FROM model_aliases WHERE api_key_id = ? ORDER BY position')
  const clearWorkspace = db.prepare<[string]>('DELETE FROM model_aliases WHERE workspace_id = ?')
  const clearKey = db.prepare<[string]>('DELETE FROM model_aliases WHERE api_key_id = ?')
  const insert = db.prepare('INSERT INTO model_aliases (id, workspace_id, api_key_id, position, pattern, target, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const toAlias = (r: Row): ModelAlias => ({ pattern: r.pattern, target: r.target })

  return {
    list(scope: AliasScope): ModelAlias[] {
      return ('workspaceId' in scope ? ofWorkspace.all(scope.workspaceId) : ofKey.all(scope.apiKeyId)).map(toAlias)
    },
    /** Every alias, grouped by scope, for compiling the routing table. */
    all(): { byWorkspace: Map<string, ModelAlias[]>; byKey: Map<string, ModelAlias[]> } {
      const byWorkspace = new Map<string, ModelAlias[]>()
      const byKey = new Map<string, ModelAlias[]>()
      for (const r of all.all()) {
        const [map, id] = r.workspace_id ? [byWorkspace, r.workspace_id] : [byKey, r.api_key_id as string]
        const list = map.get(id) ?? []
        list.push(toAlias(r))
        map.set(id, list)
      }
      return { byWorkspace, byKey }
    },
    replace: db.transaction((scope: AliasScope, aliases: ModelAlias[], now: number = Date.now()) => {
      if ('workspaceId' in scope) clearWorkspace.run(scope.workspaceId)
      else clearKey.run(scope.apiKeyId)
      aliases.forEach((a, i) => {
        insert.run(newId('mal'), 'workspaceId' in scope ? scope.workspaceId : null, 'apiKeyId' in scope ? scope.apiKeyId : null, i, a.pattern, a.target, now)
      })
    }),
  }
}

export type AliasesRepo = ReturnType<typeof aliasesRepo>
