/**
 * The window's screens and their hash paths (`/ui/#/usage`). Pure: parsing and labels only; App owns
 * the current route. The admin token also arrives in the fragment, but it is removed before routing.
 */

export const routes = [
  'integrations', 'providers', 'models', 'configs', 'keys',
  // Analytics and logs (uianalytics)
  'usage', 'logs',
  'status',
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
}

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '')
  return routes.find((r) => r === name) ?? 'integrations'
}

export type Navigate = (route: Route) => void
