/** Gathers the tray's state from the Control service (in-process): the one place the tray reads the core. */
import type { ControlService } from '../control/createControlService.ts'
import { localDate, startOfDay } from '../limits/zonedTime.ts'
import type { TrayState } from './trayMenu.ts'

export async function readTrayState(control: ControlService, url: string, now: number, error: string | null = null): Promise<TrayState> {
  const { timeZone } = await control.invoke('limitSettings:get', {})
  const since = startOfDay(localDate(now, timeZone), timeZone)
  const [state, days, budgets, claudeRoute, settings] = await Promise.all([
    control.invoke('gateway:state', {}),
    control.invoke('usage:summary', { groupBy: 'day', since, timeZone }),
    control.invoke('limits:status', {}),
    control.invoke('claudeRoute:get', {}),
    control.invoke('app:settings:get', {}),
  ])
  const today = days.reduce((t, d) => ({ costMicros: t.costMicros + d.costMicros, requests: t.requests + d.requests }), { costMicros: 0, requests: 0 })
  return { url, paused: state.paused, error, today, budgets: budgets.filter((b) => b.kind === 'budget'), claudeRoute, topUpMicros: settings.topUpMicros }
}
