/** Rows of `configs` and `config_versions`: a saved routing config is a slug plus numbered versions. */
import type { SavedConfig } from '../../preload/contract.ts'
import { newId } from '../ids.ts'
import type { Db } from './openDb.ts'

type Row = { id: string; slug: string; name: string; version: number; created_at: number; updated_at: number; body: string }

const toConfig = (r: Row): SavedConfig => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  version: r.version,
  config: JSON.parse(r.body) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export function configsRepo(db: Db) {
  const select = 'SELECT c.*, v.body FROM configs c JOIN config_versions v ON v.config_id = c.id AND v.version = c.version'
  const all = db.prepare<[], Row>(`${select} ORDER BY c.slug`)
  const byIdOrSlug = db.prepare<[string, string], Row>(`${select} WHERE c.id = ? OR c.slug = ?`)
  const versionOf = db.prepare<[string, number], { body: string; created_at: number }>('SELECT body, created_at FROM config_versions WHERE config_id = ? AND version = ?')
  const insertConfig = db.prepare('INSERT INTO configs (id, slug, name, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)')
  const insertVersion = db.prepare('INSERT INTO config_versions (config_id, version, body, created_at) VALUES (?, ?, ?, ?)')
  const bump = db.prepare('UPDATE configs SET slug = ?, name = ?, version = ?, updated_at = ? WHERE id = ?')
  const remove = db.prepare<[string]>('DELETE FROM configs WHERE id = ?')

  return {
    list: (): SavedConfig[] => all.all().map(toConfig),
    get(idOrSlug: string): SavedConfig | undefined {
      const r = byIdOrSlug.get(idOrSlug, idOrSlug)
      return r && toConfig(r)
    },
    /** An older version's body, for rollbacks and audits. */
    version(id: string, version: number): Record<string, unknown> | undefined {
      const r = versionOf.get(id, version)
      return r && (JSON.parse(r.body) as Record<string, unknown>)
    },
    create: db.transaction((a: { slug: string; name: string; config: Record<string, unknown> }, now: number = Date.now()): SavedConfig => {
      const id = newId('cfg')
      insertConfig.run(id, a.slug, a.name, now, now)
      insertVersion.run(id, 1, JSON.stringify(a.config), now)
      return toConfig(byIdOrSlug.get(id, id) as Row)
    }),
    /** Saves a new version (the old ones stay readable). */
    update: db.transaction((current: SavedConfig, a: { slug: string; name: string; config: Record<string, unknown> }, now: number = Date.now()): SavedConfig => {
      const version = current.version + 1
      insertVersion.run(current.id, version, JSON.stringify(a.config), now)
      bump.run(a.slug, a.name, version, now, current.id)
      return toConfig(byIdOrSlug.get(current.id, current.id) as Row)
    }),
    delete: (id: string): void => void remove.run(id),
  }
}

export type ConfigsRepo = ReturnType<typeof configsRepo>
