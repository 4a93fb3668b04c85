/**
 * Stage 2b: which routing config applies to a request: `x-portkey-config` (a saved config's id or
 * slug, or inline JSON), else the API key's default config, else none. Configs are compiled when
 * saved (into the routing snapshot); an inline one is validated and compiled here, its errors named
 * by path.
 */
import { loadConfig, type LoadedConfig } from '../routing/config/loadConfig.ts'
import type { RoutingTable } from '../routing/RoutingTable.ts'
import { GatewayError } from './GatewayError.ts'
import { header } from './parse.ts'
import type { Client, GatewayRequest } from './types.ts'

/** Inline configs compiled recently, by their text: validating and compiling costs ~45 µs. */
const inline = new Map<string, LoadedConfig>()

export function selectConfig(req: Pick<GatewayRequest, 'headers'>, client: Client, table: RoutingTable): LoadedConfig | null {
  const raw = header(req, 'x-portkey-config')?.trim()
  if (!raw) return client.key?.defaultConfig ?? null
  if (!raw.startsWith('{')) {
    const saved = table.configs?.get(raw)
    if (!saved) throw new GatewayError('invalid_request', `x-portkey-config: no saved config '${raw}'`)
    return saved
  }
  const known = inline.get(raw)
  if (known) return known
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    throw new GatewayError('invalid_request', 'x-portkey-config is neither a saved config id nor valid JSON')
  }
  const v = loadConfig(json)
  if (!v.ok) {
    const first = v.errors[0]
    throw new GatewayError('invalid_request', `x-portkey-config.${first?.path ?? ''}: ${first?.message ?? 'invalid config'}`)
  }
  if (inline.size >= 256) inline.clear()
  inline.set(raw, v.config)
  return v.config
}
