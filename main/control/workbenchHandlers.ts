/**
 * The window's workbench commands: a config's dry run, the guardrail test box, app settings and the
 * coding-tool config files. Nothing here sends a request upstream.
 */
import { homedir } from 'node:os'
import type { GuardrailSet } from '../../preload/contract.ts'
import { testGuardrails } from '../guardrails/testGuardrails.ts'
import { dryRun } from '../routing/config/dryRun.ts'
import { loadConfig } from '../routing/config/loadConfig.ts'
import { pruneUsage, readAppSettings, writeAppSettings } from '../settings/appSettings.ts'
import { applyTool, listTools, previewTool, restoreTool } from '../tools/toolFiles.ts'
import type { ToolTarget } from '../tools/toolConfigs.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function workbenchHandlers(ctx: HandlerContext) {
  const { store, vault, deps, changed } = ctx
  const home = () => deps.env?.HOME ?? homedir()
  const target = (a: { apiKey?: string; model?: string }): ToolTarget => ({
    gatewayUrl: deps.status.gatewayUrl(),
    apiKey: a.apiKey ?? null,
    model: a.model ?? null,
  })
  const settings = () => ({ ...readAppSettings(store.db), dataDir: deps.status.dataDir, vaultBackend: vault.backend })

  return {
    'routing:dryRun': (a) => {
      let json: unknown = a.config
      if (typeof a.config === 'string') {
        const saved = store.configs.get(a.config)
        if (!saved) throw new ControlError('not_found', `no config '${a.config}'`, 'config')
        json = saved.config
      }
      const loaded = loadConfig(json)
      if (!loaded.ok) {
        const first = loaded.errors[0]
        throw new ControlError('invalid_input', `config.${first?.path ?? ''}: ${first?.message ?? 'invalid'}`, `config.${first?.path ?? ''}`.replace(/\.$/, ''))
      }
      return dryRun(loaded.config.plan, a)
    },
    'guardrails:test': (a) => {
      let set = a.guardrails as GuardrailSet | undefined
      if (a.workspaceId !== undefined) {
        const w = store.workspaces.get(a.workspaceId) ?? store.workspaces.getBySlug(a.workspaceId)
        if (!w) throw new ControlError('not_found', `no workspace '${a.workspaceId}'`, 'workspaceId')
        set = store.guardrails.get(w.id) ?? {}
      }
      try {
        return testGuardrails(set ?? {}, a.text, a.stage ?? 'input')
      } catch (err) {
        throw new ControlError('invalid_input', (err as Error).message, 'guardrails')
      }
    },
    'settings:get': () => settings(),
    'settings:set': (a) => {
      const current = readAppSettings(store.db)
      const next = { ...current }
      for (const [k, v] of Object.entries(a)) if (v !== undefined) (next as Record<string, unknown>)[k] = v
      if (a.notifyThresholds) next.notifyThresholds = [...new Set(a.notifyThresholds)].sort((x, y) => x - y)
      writeAppSettings(store.db, next)
      if (a.logRetentionDays !== undefined) pruneUsage(store.db, next.logRetentionDays, deps.governance?.clock() ?? Date.now())
      // The gateway reads capture from the routing snapshot: a new one applies it to the next call.
      if (a.bodyCapture !== undefined && a.bodyCapture !== current.bodyCapture) changed('body capture ' + (a.bodyCapture ? 'on' : 'off'))
      return settings()
    },
    'tools:list': () => listTools(home(), target({})),
    'tools:preview': (a) => previewTool(a.tool, home(), target(a)),
    'tools:apply': (a) => applyTool(a.tool, home(), target(a)),
    'tools:restore': (a) => restoreTool(a.tool, home()),
  } satisfies Partial<Handlers>
}
