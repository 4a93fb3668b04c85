/**
 * The immutable snapshot that `resolveRoute` and `authenticate` read: providers by `@slug`, API keys
 * by hash, workspaces. Built by `compileRoutingTable`; swapped whole by `RoutingTableHolder.replace`,
 * so a request keeps the snapshot it started with while the next one sees the change.
 */
import type { IntegrationSettings } from '../../preload/contract.ts'
import type { KnownModel, ProviderSpec } from '../providers/provider.ts'
import type { Secret } from '../vault/Secret.ts'
import type { CompiledAlias } from './compileAliases.ts'
import type { LoadedConfig } from './config/loadConfig.ts'
import type { CompiledGuardrails } from '../guardrails/guardrails.ts'
import type { UpstreamPolicy } from '../network/upstreamHost.ts'

export type RouteProvider = {
  id: string
  slug: string
  name: string
  integrationId: string
  integrationSlug: string
  spec: ProviderSpec
  baseUrl: string
  settings: IntegrationSettings
  apiKey: Secret | null
  /** null: every workspace may use it. */
  workspaceIds: ReadonlySet<string> | null
  /** Models this provider is known to serve (built-in list, discovery, Azure deployments). */
  models: ReadonlySet<string>
  /** Prices by model; compiled tables hold a `PriceBook` whose entries are `Price`s with their source. */
  prices: { get(model: string): KnownModel | undefined }
  timeoutMs: number
  /** Which models the integration allows: an explicit choice per model, else `autoEnableNew`. */
  modelAccess?: { autoEnableNew: boolean; states: ReadonlyMap<string, boolean> }
  /** Per-model output caps the user set (custom models). */
  maxOutputTokens?: ReadonlyMap<string, number>
}

export type RouteKey = {
  id: string
  name: string
  workspaceId: string
  revoked: boolean
  /** Epoch ms after which the key is refused. */
  expiresAt?: number | null
  /** Endpoints the key may call; null/absent: all. */
  scopes?: ReadonlySet<string> | null
  /** Provider slugs the key may use; null/absent: all its workspace may use. */
  providerSlugs?: ReadonlySet<string> | null
  /** Merged into each request's metadata (these values win). */
  defaultMetadata?: Record<string, string> | null
  /** The routing config applied when a request names none, compiled. */
  defaultConfig?: LoadedConfig | null
}

export type RoutingTable = {
  readonly version: number
  readonly providers: ReadonlyMap<string, RouteProvider>
  readonly keysByHash: ReadonlyMap<string, RouteKey>
  readonly workspaces: ReadonlyMap<string, { slug: string; archived: boolean }>
  /** Model aliases by API key id and by workspace id; a key's own come first. */
  /** Saved routing configs, compiled, by id and by slug. */
  readonly configs?: ReadonlyMap<string, LoadedConfig>
  readonly aliases: { byKey: ReadonlyMap<string, CompiledAlias[]>; byWorkspace: ReadonlyMap<string, CompiledAlias[]> }
  /** Compiled guardrails by workspace id; a workspace without any is absent (costs the request path nothing). */
  readonly guardrails?: ReadonlyMap<string, CompiledGuardrails>
  /** Which per-request custom hosts may be reached (network settings); absent: the defaults. */
  readonly network?: UpstreamPolicy
  /** Project/branch attribution from agents' prompts; absent: on. */
  readonly attribution?: boolean
  /** Settings → body capture: keep each call's request and response for the Logs drawer; absent: off. */
  readonly bodyCapture?: boolean
}

export type RoutingTableHolder = {
  current(): RoutingTable
  replace(next: RoutingTable): void
}

export function createRoutingTableHolder(initial: RoutingTable): RoutingTableHolder {
  let table = initial
  return {
    current: () => table,
    replace: (next) => void (table = next),
  }
}
