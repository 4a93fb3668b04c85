/** Rows of `integrations` and their workspace provisioning. Credentials live in the vault; this keeps only a hint. */
import type { Integration, IntegrationSettings } from '../../preload/contract.ts'
import { newId } from '../ids.ts'
import type { Db } from './openDb.ts'

type Row = {
  id: string
  slug: string
  name: string
  kind: string
  settings: string
  secret_id: string | null
  secret_hint: string | null
  all_workspaces: number
  created_at: number
  updated_at: number
}

export type IntegrationRecord = Integration & { secretId: string | null }

export function integrationsRepo(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM integrations ORDER BY created_at, slug')
  const byId = db.prepare<[string], Row>('SELECT * FROM integrations WHERE id = ?')
  const bySlug = db.prepare<[string], Row>('SELECT * FROM integrations WHERE slug = ?')
  const wsOf = db.prepare<[string], { workspace_id: string }>(
    'SELECT workspace_id FROM integration_workspaces WHERE integration_id = ? ORDER BY workspace_id',
  )
  const insert = db.prepare(
    `INSERT INTO integrations (id, slug, name, kind, settings, secret_id, secret_hint, all_workspaces, created_at, updated_at)
     VALUES (@id, @slug, @name, @kind, @settings, @secretId, @secretHint, @allWorkspaces, @now, @now)`,
  )
  const update = db.prepare(
    `UPDATE integrations SET slug = @slug, name = @name, settings = @settings, secret_id = @secretId,
       secret_hint = @secretHint, all_workspaces = @allWorkspaces, updated_at = @now WHERE id = @id`,
  )
  const remove = db.prepare<[string]>('DELETE FROM integrations WHERE id = ?')
  const clearWs = db.prepare<[string]>('DELETE FROM integration_workspaces WHERE integration_id = ?')
  const addWs = db.prepare<[string, string]>('INSERT INTO integration_workspaces (integration_id, workspace_id) VALUES (?, ?)')

  const toRecord = (r: Row): IntegrationRecord => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    settings: JSON.parse(r.settings) as IntegrationSettings,
    hasCredential: r.secret_id !== null,
    credentialHint: r.secret_hint,
    workspaceIds: r.all_workspaces === 1 ? null : wsOf.all(r.id).map((w) => w.workspace_id),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    secretId: r.secret_id,
  })

  const setWorkspaces = (id: string, workspaceIds: string[] | null) => {
    clearWs.run(id)
    for (const w of workspaceIds ?? []) addWs.run(id, w)
  }

  return {
    list: (): IntegrationRecord[] => all.all().map(toRecord),
    get(id: string): IntegrationRecord | undefined {
      const r = byId.get(id)
      return r && toRecord(r)
    },
    getBySlug(slug: string): IntegrationRecord | undefined {
      const r = bySlug.get(slug)
      return r && toRecord(r)
    },
    create(
      a: { slug: string; name: string; kind: string; settings: IntegrationSettings; secretId: string | null; secretHint: string | null; workspaceIds: string[] | null },
      now = Date.now(),
    ): IntegrationRecord {
      const id = newId('int')
      insert.run({ ...a, id, settings: JSON.stringify(a.settings), allWorkspaces: a.workspaceIds === null ? 1 : 0, now })
      setWorkspaces(id, a.workspaceIds)
      return toRecord(byId.get(id) as Row)
    },
    update(r: IntegrationRecord & { secretHint?: string | null }, now = Date.now()): IntegrationRecord {
      update.run({
        id: r.id,
        slug: r.slug,
        name: r.name,
        settings: JSON.stringify(r.settings),
        secretId: r.secretId,
        secretHint: r.credentialHint,
        allWorkspaces: r.workspaceIds === null ? 1 : 0,
        now,
      })
      setWorkspaces(r.id, r.workspaceIds)
      return toRecord(byId.get(r.id) as Row)
    },
    delete: (id: string): void => void remove.run(id),
  }
}

export type IntegrationsRepo = ReturnType<typeof integrationsRepo>
