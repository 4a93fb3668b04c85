/**
 * Desktop commands: pause/resume, budget top-ups, the app's settings, launch at login and the route
 * Claude Code's models take. The tray and notifications call these in-process; the window over IPC.
 */
import type { ClaudeRouteState, Events, ModelAlias } from '../../preload/contract.ts'
import { readAppSettings, writeAppSettings } from '../desktop/appSettings.ts'
import { unsupportedLoginItem } from '../desktop/loginItem.ts'
import { createPauseSwitch } from '../gateway/pauseSwitch.ts'
import { newId } from '../ids.ts'
import { topUpGrant } from '../limits/topUpGrant.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

/** Claude Code asks for `claude-…` models; one alias on the default workspace sends them all somewhere. */
export const claudePattern = 'claude-*'

export function desktopHandlers(ctx: HandlerContext, emit: <E extends keyof Events>(event: E, payload: Events[E]) => void) {
  const { store, deps, invoke, changed } = ctx
  const pause = deps.pause ?? createPauseSwitch()
  const loginItem = deps.loginItem ?? unsupportedLoginItem
  const now = deps.clock ?? Date.now

  function claudeRoute(): ClaudeRouteState {
    const choices = readAppSettings(store.db).claudeRoutes
    const alias = store.aliases.list({ workspaceId: 'ws_default' }).find((a) => a.pattern === claudePattern)
    return { choices, current: choices.find((c) => c.target === alias?.target)?.name ?? null }
  }

  return {
    'gateway:state': () => pause.state(),
    'gateway:setPaused': (a) => {
      if (pause.set(a.paused)) emit('gateway:stateChanged', pause.state())
      return pause.state()
    },
    'budgets:topUp': async (a) => {
      const scope = await invoke('limits:get', { scope: a.scope, id: a.id })
      if (!scope.policy?.budgets?.some((b) => b.unit === 'usd')) {
        throw new ControlError('invalid_input', `${scope.label} has no USD budget to top up`, 'id')
      }
      const timeZone = store.governance.settings().timeZone
      const grant = topUpGrant({ id: newId('grant'), scope: a.scope, scopeId: scope.id, amountMicros: a.amountMicros ?? readAppSettings(store.db).topUpMicros, at: now(), timeZone })
      store.grants.add(grant)
      changed('budget topped up')
      return grant
    },
    'budgets:grants': (a) => store.grants.list(a),
    'app:settings:get': () => readAppSettings(store.db),
    'app:settings:set': (a) => {
      const next = { ...readAppSettings(store.db), ...a }
      writeAppSettings(store.db, next)
      return next
    },
    'app:loginItem:get': () => loginItem.get(),
    'app:loginItem:set': (a) => {
      if (!loginItem.get().supported) throw new ControlError('invalid_input', 'launch at login is set from the desktop app only', 'enabled')
      return loginItem.set(a.enabled)
    },
    'claudeRoute:get': () => claudeRoute(),
    'claudeRoute:set': async (a) => {
      const choice = readAppSettings(store.db).claudeRoutes.find((c) => c.name === a.name)
      if (!choice) throw new ControlError('not_found', `no Claude Code route named '${a.name}' in the app settings`, 'name')
      const others = store.aliases.list({ workspaceId: 'ws_default' }).filter((x) => x.pattern !== claudePattern)
      const aliases: ModelAlias[] = [{ pattern: claudePattern, target: choice.target }, ...others]
      await invoke('aliases:set', { workspaceId: 'ws_default', aliases })
      return claudeRoute()
    },
  } satisfies Partial<Handlers>
}
