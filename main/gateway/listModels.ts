/**
 * `GET /v1/models`: the models the caller's workspace and key may use, in OpenAI's list format: a key
 * whose scopes leave out `models` is refused, a key limited to some providers sees only theirs. Ids are
 * `@slug/model`, which every client can send back as `model` unchanged; with `x-portkey-provider: @slug`
 * the list is that provider's, with bare ids.
 */
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import { header } from './parse.ts'
import type { Client, GatewayRequest } from './types.ts'

export type OpenAIModelList = { object: 'list'; data: Array<{ id: string; object: 'model'; created: number; owned_by: string }> }

export function listModels(req: Pick<GatewayRequest, 'headers'>, client: Client, table: RoutingTable): OpenAIModelList {
  const key = client.key
  if (key?.scopes && !key.scopes.has('models')) {
    throw new GatewayError('key_scope_denied', `API key '${key.name}' may not call models (its scopes: ${[...key.scopes].join(', ') || 'none'})`)
  }
  const only = header(req, 'x-portkey-provider')?.replace(/^@/, '')
  if (only !== undefined && !table.providers.has(only)) throw new GatewayError('provider_not_found', `no provider @${only}`)
  const data: OpenAIModelList['data'] = []
  for (const p of table.providers.values()) {
    if (only !== undefined && p.slug !== only) continue
    if (key?.providerSlugs && !key.providerSlugs.has(p.slug)) continue
    if (p.workspaceIds && !p.workspaceIds.has(client.workspaceId)) continue
    for (const m of [...p.models].sort()) {
      if (p.modelAccess && !(p.modelAccess.states.get(m) ?? p.modelAccess.autoEnableNew)) continue // not provisioned
      data.push({ id: only !== undefined ? m : `@${p.slug}/${m}`, object: 'model', created: 0, owned_by: p.slug })
    }
  }
  return { object: 'list', data }
}

export type AnthropicModelList = {
  data: Array<{ type: 'model'; id: string; display_name: string; created_at: string }>
  has_more: boolean
  first_id: string | null
  last_id: string | null
}

/** The same list in Anthropic's shape (https://docs.anthropic.com/en/api/models-list). */
export function anthropicModelList(list: OpenAIModelList): AnthropicModelList {
  const data = list.data.map((m) => ({ type: 'model' as const, id: m.id, display_name: m.id, created_at: new Date(m.created * 1000).toISOString() }))
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}
