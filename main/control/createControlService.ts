/**
 * The Control API's one implementation: every operation the UI, the admin HTTP API, IPC and setup
 * files can perform. Each command is validated (`schemas.ts`), persisted, and followed by a fresh
 * routing table swapped in atomically, so the next request sees the change without a restart.
 * Secrets go into the vault and never come back out of here.
 */
import type { CommandInput, CommandName, CommandOutput, Events } from '../../preload/contract.ts'
import { compileRoutingTable } from '../routing/compileRoutingTable.ts'
import type { RoutingTableHolder } from '../routing/RoutingTable.ts'
import type { Governance } from '../limits/createGovernance.ts'
import type { Store } from '../store/Store.ts'
import type { Vault } from '../vault/openVault.ts'
import { aliasHandlers } from './aliasHandlers.ts'
import { analyticsHandlers } from './analyticsHandlers.ts'
import { configHandlers } from './configHandlers.ts'
import { desktopHandlers } from './desktopHandlers.ts'
import type { PauseSwitch } from '../gateway/pauseSwitch.ts'
import type { LoginItem } from '../desktop/loginItem.ts'
import { catalogHandlers } from './catalogHandlers.ts'
import { governanceHandlers } from './governanceHandlers.ts'
import { guardrailHandlers } from './guardrailHandlers.ts'
import { networkHandlers } from './networkHandlers.ts'
import { workbenchHandlers } from './workbenchHandlers.ts'
import { attributionHandlers } from './attributionHandlers.ts'
import { selfTestHandlers } from './selfTestHandlers.ts'
import { ControlError } from './ControlError.ts'
import { describeIssue, schemas } from './schemas.ts'

export type ControlDeps = {
  store: Store
  vault: Vault
  routes: RoutingTableHolder
  status: { version: string; gatewayUrl: () => string; dataDir: string; warnings: () => string[] }
  /** Environment for `${VAR}` secrets in setup files. */
  env?: Record<string, string | undefined>
  /** Budgets and rate limits; reloaded after every change. */
  governance?: Governance
  /** Desktop: the gateway's pause switch (shared with the server), launch at login, the clock for top-ups. */
  pause?: PauseSwitch
  loginItem?: LoginItem
  clock?: () => number
}

export type Handlers = { [N in CommandName]: (a: CommandInput<N>) => CommandOutput<N> | Promise<CommandOutput<N>> }

/** What a group of command handlers gets to work with. */
export type HandlerContext = {
  store: Store
  vault: Vault
  routes: RoutingTableHolder
  deps: ControlDeps
  /** Persisted a change: rebuild the routing table, swap it in, tell listeners. */
  changed(reason: string): void
  invoke<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>
}

export type ControlService = {
  invoke<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>>
  has(name: string): name is CommandName
  /** Every command with a handler (the contract tests check each has a schema and both transports reach it). */
  commands(): CommandName[]
  on<E extends keyof Events>(event: E, fn: (payload: Events[E]) => void): () => void
  emit<E extends keyof Events>(event: E, payload: Events[E]): void
  /** Every event, whatever its name (the SSE stream forwards them all). */
  onAny(fn: <E extends keyof Events>(event: E, payload: Events[E]) => void): () => void
}

export function createControlService(deps: ControlDeps): ControlService {
  const { store, vault, routes } = deps
  const listeners = new Map<keyof Events, Set<(p: never) => void>>()
  const anyListeners = new Set<<E extends keyof Events>(event: E, payload: Events[E]) => void>()

  function emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const fn of listeners.get(event) ?? []) (fn as (p: Events[E]) => void)(payload)
    for (const fn of anyListeners) fn(event, payload)
  }

  /** Persisted a change: rebuild the routing table and swap it in. */
  function changed(reason: string): void {
    routes.replace(compileRoutingTable(store, vault))
    deps.governance?.reload()
    emit('catalog:changed', { reason })
  }

  const ctx: HandlerContext = { store, vault, routes, deps, changed, invoke }
  const catalog = catalogHandlers(ctx)
  const handlers: Handlers = { ...catalog, ...governanceHandlers(ctx, catalog), ...aliasHandlers(ctx), ...networkHandlers(ctx), ...attributionHandlers(ctx), ...selfTestHandlers(ctx), ...guardrailHandlers(ctx), ...configHandlers(ctx), ...workbenchHandlers(ctx), ...desktopHandlers(ctx, emit), ...analyticsHandlers(ctx) }

  async function invoke<N extends CommandName>(name: N, input: unknown): Promise<CommandOutput<N>> {
    const schema = schemas[name]
    if (!schema) throw new ControlError('not_found', `no command '${String(name)}'`)
    const parsed = schema.safeParse(input ?? {})
    if (!parsed.success) {
      const first = describeIssue(parsed.error.issues[0] ?? { path: [], message: 'invalid input' })
      throw new ControlError('invalid_input', first.message, first.path || undefined)
    }
    const handler = handlers[name] as (a: unknown) => CommandOutput<N> | Promise<CommandOutput<N>>
    return await handler(parsed.data)
  }

  return {
    invoke,
    has: (name: string): name is CommandName => Object.hasOwn(handlers, name),
    commands: () => Object.keys(handlers) as CommandName[],
    on(event, fn) {
      const set = listeners.get(event) ?? new Set()
      set.add(fn as (p: never) => void)
      listeners.set(event, set)
      return () => void set.delete(fn as (p: never) => void)
    },
    emit,
    onAny(fn) {
      anyListeners.add(fn)
      return () => void anyListeners.delete(fn)
    },
  }
}
