/**
 * The window's screens and their hash paths (`/ui/#/usage`). Pure: parsing and labels only; App owns
 * the current route. The admin token also arrives in the fragment, but it is removed before routing.
 */

export const routes = [
  'integrations',
  // The window's remaining views (uiviews): the connect wizard sits next to Integrations.
  'connect',
  'providers',
  'models',
  'configs',
  'routing',
  'workspaces',
  'keys',
  'budgets',
  'guardrails',
  'tools',
  'usage',
  'logs',
  'status',
  'settings',
] as const

export type Route = (typeof routes)[number]

export const routeLabels: Record<Route, string> = {
  integrations: 'Integrations',
  providers: 'Providers',
  models: 'Models',
  configs: 'Configs',
  keys: 'API keys',
  usage: 'Usage',
  logs: 'Logs',
  status: 'Status',
  // The window's remaining views (uiviews).
  connect: 'Connect provider',
  routing: 'Routing',
  workspaces: 'Workspaces',
  budgets: 'Budgets & limits',
  guardrails: 'Guardrails & network',
  tools: 'Connect a tool',
  settings: 'Settings',
}

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '')
  return routes.find((r) => r === name) ?? 'integrations'
}

export type Navigate = (route: Route) => void
