/** Rows of `workspaces`. A default workspace always exists (created on first open). */
import type { Workspace } from '../../preload/contract.ts'
import { newId } from '../ids.ts'
import type { Db } from './openDb.ts'

type Row = { id: string; slug: string; name: string; is_default: number; created_at: number; archived_at: number | null }

const toWorkspace = (r: Row): Workspace => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  isDefault: r.is_default === 1,
  createdAt: r.created_at,
  archivedAt: r.archived_at,
})

export function workspacesRepo(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM workspaces ORDER BY is_default DESC, created_at, slug')
  const byId = db.prepare<[string], Row>('SELECT * FROM workspaces WHERE id = ?')
  const bySlug = db.prepare<[string], Row>('SELECT * FROM workspaces WHERE slug = ?')
  const insert = db.prepare(
    'INSERT INTO workspaces (id, slug, name, is_default, created_at) VALUES (@id, @slug, @name, @isDefault, @createdAt)',
  )
  const update = db.prepare('UPDATE workspaces SET slug = @slug, name = @name WHERE id = @id')

  return {
    list: (): Workspace[] => all.all().map(toWorkspace),
    get: (id: string): Workspace | undefined => {
      const r = byId.get(id)
      return r && toWorkspace(r)
    },
    getBySlug: (slug: string): Workspace | undefined => {
      const r = bySlug.get(slug)
      return r && toWorkspace(r)
    },
    create(a: { slug: string; name: string; isDefault?: boolean }, now = Date.now()): Workspace {
      const id = a.isDefault ? 'ws_default' : newId('ws')
      insert.run({ id, slug: a.slug, name: a.name, isDefault: a.isDefault ? 1 : 0, createdAt: now })
      return toWorkspace(byId.get(id) as Row)
    },
    update(w: Pick<Workspace, 'id' | 'slug' | 'name'>): void {
      update.run(w)
    },
    /** Creates the default workspace when the database has none. */
    ensureDefault(now = Date.now()): Workspace {
      const existing = byId.get('ws_default')
      if (existing) return toWorkspace(existing)
      return this.create({ slug: 'default', name: 'Default', isDefault: true }, now)
    },
  }
}

export type WorkspacesRepo = ReturnType<typeof workspacesRepo>
