/**
 * The tray as a pure function of the app's state: which icon, which tooltip, which menu. The Electron
 * shell turns the items into a native menu and runs the actions; nothing here knows Electron.
 */
import type { ClaudeRouteState, LimitCounter, LimitScopeKind } from '../../preload/contract.ts'
import { formatUsd } from './money.ts'

export type TrayState = {
  url: string
  paused: boolean
  /** Something is wrong (the server stopped, a start-up problem); shown first. */
  error: string | null
  today: { costMicros: number; requests: number }
  /** Budget counters (limits:status); the ones near their limit get a gauge. */
  budgets: LimitCounter[]
  claudeRoute: ClaudeRouteState
  topUpMicros: number
}

export type TrayIcon = 'running' | 'paused' | 'over-budget' | 'error'

export type TrayAction =
  | { kind: 'open'; view?: string }
  | { kind: 'copy-base-url' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'claude-route'; name: string }
  | { kind: 'top-up'; scope: LimitScopeKind; id: string }
  | { kind: 'quit' }

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'radio'; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; items: TrayItem[] }

/** A budget at or past this share of its limit gets a gauge in the menu. */
export const nearLimitShare = 0.8

const share = (b: LimitCounter) => (b.limit > 0 ? b.used / b.limit : 1)
const isBudget = (c: LimitCounter) => c.kind === 'budget'

export function trayIcon(s: TrayState): TrayIcon {
  if (s.error) return 'error'
  if (s.paused) return 'paused'
  if (s.budgets.some((b) => isBudget(b) && b.exhausted)) return 'over-budget'
  return 'running'
}

export function trayTooltip(s: TrayState): string {
  const state = s.error ? `error: ${s.error}` : s.paused ? 'paused' : s.budgets.some((b) => isBudget(b) && b.exhausted) ? 'over budget' : 'running'
  return `Switchyard (${state}) · ${formatUsd(s.today.costMicros)} today · ${s.url}`
}

/** `▰▰▰▰▰▰▰▰▱▱ 82%`: ten cells, full past the limit. */
export function gauge(used: number, limit: number): string {
  const pct = limit > 0 ? Math.floor((used / limit) * 100) : 100
  const cells = Math.max(0, Math.min(10, Math.floor(pct / 10)))
  return `${'▰'.repeat(cells)}${'▱'.repeat(10 - cells)} ${pct}%`
}

function amount(b: LimitCounter, v: number): string {
  return b.unit === 'usd' ? formatUsd(v) : `${v.toLocaleString('en-US')} ${b.unit}`
}

export function trayMenu(s: TrayState): TrayItem[] {
  const items: TrayItem[] = []
  if (s.error) items.push({ type: 'normal', label: `⚠ ${s.error}`, enabled: false })
  const requests = `${s.today.requests.toLocaleString('en-US')} request${s.today.requests === 1 ? '' : 's'}`
  items.push({ type: 'normal', label: `Today: ${formatUsd(s.today.costMicros)} · ${requests}`, enabled: true, action: { kind: 'open', view: 'usage' } })
  const near = s.budgets.filter((b) => isBudget(b) && share(b) >= nearLimitShare).sort((a, b) => share(b) - share(a))
  for (const b of near) {
    items.push({ type: 'normal', label: `${b.label} ${gauge(b.used, b.limit)} (${amount(b, b.used)} of ${amount(b, b.limit)}, ${b.period})`, enabled: true, action: { kind: 'open', view: 'usage' } })
    if (b.unit === 'usd') items.push({ type: 'normal', label: `    +${formatUsd(s.topUpMicros)} today for ${b.label}`, enabled: !s.error, action: { kind: 'top-up', scope: b.scope, id: b.id } })
  }
  items.push({ type: 'separator' })
  items.push(
    s.paused
      ? { type: 'normal', label: 'Resume gateway', enabled: !s.error, action: { kind: 'resume' } }
      : { type: 'normal', label: 'Pause gateway', enabled: !s.error, action: { kind: 'pause' } },
  )
  if (s.claudeRoute.choices.length > 0) {
    items.push({
      type: 'submenu',
      label: `Claude Code model: ${s.claudeRoute.current ?? 'as requested'}`,
      items: s.claudeRoute.choices.map((c) => ({ type: 'radio', label: `${c.name} (${c.target})`, checked: c.name === s.claudeRoute.current, action: { kind: 'claude-route', name: c.name } })),
    })
  }
  items.push({ type: 'separator' })
  items.push({ type: 'normal', label: 'Open Switchyard', enabled: true, action: { kind: 'open' } })
  items.push({ type: 'normal', label: `Copy base URL (${s.url}/v1)`, enabled: true, action: { kind: 'copy-base-url' } })
  items.push({ type: 'separator' })
  items.push({ type: 'normal', label: 'Quit Switchyard', enabled: true, action: { kind: 'quit' } })
  return items
}
