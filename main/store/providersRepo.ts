/** Rows of `providers` (the `@slug`s made from integrations) and their discovered `models`. */
import type { AIProvider } from '../../preload/contract.ts'
import { newId } from '../ids.ts'
import type { Db } from './openDb.ts'

type Row = { id: string; slug: string; name: string; integration_id: string; integration_slug: string; kind: string; created_at: number }

const toProvider = (r: Row): AIProvider => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  integrationId: r.integration_id,
  integrationSlug: r.integration_slug,
  kind: r.kind,
  createdAt: r.created_at,
})

export function providersRepo(db: Db) {
  const select = `SELECT p.*, i.slug AS integration_slug, i.kind AS kind FROM providers p JOIN integrations i ON i.id = p.integration_id`
  const all = db.prepare<[], Row>(`${select} ORDER BY p.created_at, p.slug`)
  const byIntegration = db.prepare<[string], Row>(`${select} WHERE p.integration_id = ? ORDER BY p.created_at, p.slug`)
  const byId = db.prepare<[string], Row>(`${select} WHERE p.id = ?`)
  const bySlug = db.prepare<[string], Row>(`${select} WHERE p.slug = ?`)
  const insert = db.prepare('INSERT INTO providers (id, slug, name, integration_id, created_at) VALUES (?, ?, ?, ?, ?)')
  const update = db.prepare('UPDATE providers SET slug = ?, name = ? WHERE id = ?')
  const remove = db.prepare<[string]>('DELETE FROM providers WHERE id = ?')
  const modelsOf = db.prepare<[string], { model: string; source: string }>(
    'SELECT model, source FROM models WHERE provider_id = ? ORDER BY model',
  )
  const allModels = db.prepare<[], { provider_id: string; model: string }>('SELECT provider_id, model FROM models')
  const clearDiscovered = db.prepare<[string]>("DELETE FROM models WHERE provider_id = ? AND source = 'discovered'")
  const addModel = db.prepare('INSERT OR IGNORE INTO models (provider_id, model, source, created_at) VALUES (?, ?, ?, ?)')

  return {
    list: (integrationId?: string): AIProvider[] =>
      (integrationId ? byIntegration.all(integrationId) : all.all()).map(toProvider),
    get(id: string): AIProvider | undefined {
      const r = byId.get(id)
      return r && toProvider(r)
    },
    getBySlug(slug: string): AIProvider | undefined {
      const r = bySlug.get(slug)
      return r && toProvider(r)
    },
    create(a: { slug: string; name: string; integrationId: string }, now = Date.now()): AIProvider {
      const id = newId('prv')
      insert.run(id, a.slug, a.name, a.integrationId, now)
      return toProvider(byId.get(id) as Row)
    },
    update(a: { id: string; slug: string; name: string }): AIProvider {
      update.run(a.slug, a.name, a.id)
      return toProvider(byId.get(a.id) as Row)
    },
    delete: (id: string): void => void remove.run(id),
    discoveredModels: (providerId: string): string[] => modelsOf.all(providerId).map((m) => m.model),
    /** All discovered models, by provider id, for compiling the routing table in one query. */
    allDiscoveredModels(): Map<string, string[]> {
      const out = new Map<string, string[]>()
      for (const r of allModels.all()) {
        const list = out.get(r.provider_id) ?? []
        list.push(r.model)
        out.set(r.provider_id, list)
      }
      return out
    },
    replaceDiscoveredModels: db.transaction((providerId: string, models: string[], now: number = Date.now()) => {
      clearDiscovered.run(providerId)
      for (const m of models) addModel.run(providerId, m, 'discovered', now)
    }),
  }
}

export type ProvidersRepo = ReturnType<typeof providersRepo>
