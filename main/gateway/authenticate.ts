/**
 * Stage 2: finds the caller's Switchyard API key and its workspace, from the routing snapshot
 * (memory only; the key is compared by SHA-256 hash). Accepted, in this order:
 * `x-portkey-api-key`, `Authorization: Bearer`, `x-api-key`. When the key comes in
 * `x-portkey-api-key`, the `Authorization` header belongs to the upstream (bring-your-own key); an
 * `x-api-key` that is not the Switchyard key is the caller's provider key too (Anthropic's own header).
 * A key's hash is computed once per routing snapshot, not per request: keys found in a snapshot are
 * remembered with their hash beside it, and forgotten with it when the catalog changes (a deleted
 * key's text does not outlive its snapshot); unknown keys are never remembered, so guessing cannot
 * grow the memo.
 */
import { hashApiKey } from '../store/apiKeysRepo.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import { header } from './parse.ts'
import type { Client, GatewayRequest } from './types.ts'

const MAX_REMEMBERED = 1000
const memos = new WeakMap<RoutingTable, Map<string, string>>()

export function authenticate(req: Pick<GatewayRequest, 'headers'>, table: RoutingTable, now: number = Date.now()): Client {
  const portkeyKey = header(req, 'x-portkey-api-key')
  const authorization = header(req, 'authorization')
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim()
  const key = portkeyKey ?? bearer ?? header(req, 'x-api-key')
  if (!key) {
    throw new GatewayError(
      'missing_api_key',
      'no API key: send your Switchyard key as "Authorization: Bearer sy-…", "x-api-key" or "x-portkey-api-key"',
    )
  }
  let hashes = memos.get(table)
  if (!hashes) memos.set(table, (hashes = new Map()))
  const hash = hashes.get(key) ?? hashApiKey(key)
  const found = table.keysByHash.get(hash)
  if (!found) throw new GatewayError('invalid_api_key', 'invalid API key: this key is not known to this Switchyard')
  if (found.revoked) throw new GatewayError('invalid_api_key', `API key '${found.name}' has been revoked`)
  if (found.expiresAt != null && now >= found.expiresAt) {
    throw new GatewayError('api_key_expired', `API key '${found.name}' expired at ${new Date(found.expiresAt).toISOString()}`)
  }
  const ws = table.workspaces.get(found.workspaceId)
  if (!ws || ws.archived) throw new GatewayError('invalid_api_key', `API key '${found.name}' belongs to an archived workspace`)
  const apiKeyHeader = header(req, 'x-api-key')?.trim()
  const callerBearer = portkeyKey !== undefined ? bearer : undefined
  // The caller's own provider key, in whichever header did not carry the Switchyard key (never that key itself).
  const upstreamKey = [callerBearer, key === apiKeyHeader ? undefined : apiKeyHeader].find((k) => k && k !== key) ?? null
  if (!hashes.has(key)) {
    if (hashes.size >= MAX_REMEMBERED) hashes.clear()
    hashes.set(key, hash)
  }
  return {
    keyId: found.id,
    workspaceId: found.workspaceId,
    upstreamAuthorization: portkeyKey !== undefined && authorization ? authorization : null,
    upstreamKey,
    keyHeader: portkeyKey !== undefined ? 'x-portkey-api-key' : bearer !== undefined ? 'authorization' : 'x-api-key',
    key: found,
  }
}
