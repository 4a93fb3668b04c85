/** Rows of `api_keys`. Only a SHA-256 hash of each key is stored; the key itself is shown once at creation. */
import { createHash } from 'node:crypto'
import type { ApiKey } from '../../preload/contract.ts'
import { newId, randomString } from '../ids.ts'
import type { Db } from './openDb.ts'

type Row = {
  id: string
  workspace_id: string
  name: string
  hash: string
  prefix: string
  created_at: number
  revoked_at: number | null
  last_used_at: number | null
}

export type ApiKeyRecord = ApiKey & { hash: string }

const toKey = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  workspaceId: r.workspace_id,
  prefix: r.prefix,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  hash: r.hash,
})

/** Keys are 43 random base62 characters (~256 bits): a fast hash is enough, no KDF needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function generateApiKey(): string {
  return `sy-${randomString(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`
}

export function apiKeysRepo(db: Db) {
  const all = db.prepare<[], Row>('SELECT * FROM api_keys ORDER BY created_at, name')
  const byWs = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE workspace_id = ? ORDER BY created_at, name')
  const byId = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?')
  const byHash = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE hash = ?')
  const insert = db.prepare(
    'INSERT INTO api_keys (id, workspace_id, name, hash, prefix, created_at) VALUES (@id, @workspaceId, @name, @hash, @prefix, @now)',
  )
  const revoke = db.prepare<[number, string]>('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const touch = db.prepare<[number, string]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?')

  return {
    list: (workspaceId?: string): ApiKeyRecord[] => (workspaceId ? byWs.all(workspaceId) : all.all()).map(toKey),
    get(id: string): ApiKeyRecord | undefined {
      const r = byId.get(id)
      return r && toKey(r)
    },
    getByKey(key: string): ApiKeyRecord | undefined {
      const r = byHash.get(hashApiKey(key))
      return r && toKey(r)
    },
    create(a: { name: string; workspaceId: string; key: string }, now = Date.now()): ApiKeyRecord {
      const id = newId('key')
      insert.run({ id, workspaceId: a.workspaceId, name: a.name, hash: hashApiKey(a.key), prefix: `${a.key.slice(0, 7)}…`, now })
      return toKey(byId.get(id) as Row)
    },
    revoke(id: string, now = Date.now()): void {
      revoke.run(now, id)
    },
    touch(id: string, at: number): void {
      touch.run(at, id)
    },
  }
}

export type ApiKeysRepo = ReturnType<typeof apiKeysRepo>
