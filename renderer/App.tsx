/**
 * The window's frame: header (brand, gateway URL, workspace selector), warning banner, sidebar and
 * the current screen. Owns navigation (hash routes) and the first loads (status, workspaces).
 * Shows a sign-in notice instead of the app when there is no admin token or the server refuses it.
 */
import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType } from 'react'
import { useStore } from 'zustand'
import { ErrorNote } from './components/ErrorNote.tsx'
import { Icon } from './components/Icon.tsx'
import { parseRoute, routeLabels, routes, type Route } from './lib/routes.ts'
import { useStores } from './lib/useStores.ts'
import { IntegrationsView } from './views/integrations/IntegrationsView.tsx'

// Only the first screen (Integrations) is in the entry script; every other view loads on first visit,
// so the first load parses and runs as little script as it can (issue 10: first load ≤ 1 s).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- React.lazy's own bound on component types
const named = <M extends Record<K, ComponentType<any>>, K extends keyof M>(load: () => Promise<M>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })))
const ConfigsView = named(() => import('./views/configs/ConfigsView.tsx'), 'ConfigsView')
const KeysView = named(() => import('./views/keys/KeysView.tsx'), 'KeysView')
const ModelsView = named(() => import('./views/models/ModelsView.tsx'), 'ModelsView')
const ProvidersView = named(() => import('./views/providers/ProvidersView.tsx'), 'ProvidersView')
const StatusView = named(() => import('./views/status/StatusView.tsx'), 'StatusView')
const UsageView = named(() => import('./views/usage/UsageView.tsx'), 'UsageView')
const LogsView = named(() => import('./views/logs/LogsView.tsx'), 'LogsView')
// The window's remaining views (uiviews).
const BudgetsView = named(() => import('./views/budgets/BudgetsView.tsx'), 'BudgetsView')
const ConnectWizard = named(() => import('./views/connect/ConnectWizard.tsx'), 'ConnectWizard')
const GuardrailsView = named(() => import('./views/guardrails/GuardrailsView.tsx'), 'GuardrailsView')
const RoutingView = named(() => import('./views/routing/RoutingView.tsx'), 'RoutingView')
const SettingsView = named(() => import('./views/settings/SettingsView.tsx'), 'SettingsView')
const ToolsView = named(() => import('./views/tools/ToolsView.tsx'), 'ToolsView')
const WorkspacesView = named(() => import('./views/workspaces/WorkspacesView.tsx'), 'WorkspacesView')

export function App({ hasCredentials }: { hasCredentials: boolean }) {
  const stores = useStores()
  const status = useStore(stores.status)
  const workspaces = useStore(stores.workspaces)
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash))

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  useEffect(() => {
    if (!hasCredentials) return
    void stores.status.getState().load()
    void stores.workspaces.getState().load()
  }, [stores, hasCredentials])

  // Live updates (logs, charts, gauges) for as long as the window is signed in.
  useEffect(() => (hasCredentials ? stores.live.getState().start() : undefined), [stores, hasCredentials])

  const navigate = useCallback((next: Route) => {
    window.location.hash = `/${next}`
    setRoute(next)
  }, [])

  if (!hasCredentials || status.error?.code === 'unauthorized') {
    return <SignInNotice rejected={hasCredentials} />
  }

  const warnings = status.status?.warnings ?? []

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchyard
        </div>
        {status.status ? (
          <span className="gateway-chip mono" title="Gateway URL">
            <span className="dot dot-ok" aria-hidden="true" />
            {status.status.gatewayUrl}
          </span>
        ) : null}
        <div className="topbar-spacer" />
        <label className="inline-field">
          <span>Workspace</span>
          <select
            aria-label="Workspace"
            value={workspaces.selectedId ?? ''}
            disabled={workspaces.items.length === 0}
            onChange={(e) => workspaces.select(e.target.value)}
          >
            {workspaces.items.length === 0 ? <option value="">—</option> : null}
            {workspaces.items.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      </header>
      {warnings.length > 0 ? (
        <div className="banner" role="alert">
          <strong>Warning:</strong> {warnings[0]}
          {warnings.length > 1 ? ` (+${warnings.length - 1} more)` : ''}
          {route !== 'status' ? (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => navigate('status')}>
              Details
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="body">
        <nav className="sidebar" aria-label="Sections">
          {routes.map((r) => (
            <a
              key={r}
              href={`#/${r}`}
              className={r === route ? 'nav-item active' : 'nav-item'}
              aria-current={r === route ? 'page' : undefined}
            >
              <Icon name={r} />
              {routeLabels[r]}
            </a>
          ))}
          <div className="sidebar-foot muted">{status.status ? `v${status.status.version}` : null}</div>
        </nav>
        <main className="content">
          <ErrorNote error={status.error} />
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <Screen route={route} navigate={navigate} />
          </Suspense>
        </main>
      </div>
    </div>
  )
}

function Screen({ route, navigate }: { route: Route; navigate: (r: Route) => void }) {
  switch (route) {
    case 'integrations':
      return <IntegrationsView onNavigate={navigate} />
    case 'providers':
      return <ProvidersView onNavigate={navigate} />
    case 'models':
      return <ModelsView onNavigate={navigate} />
    case 'configs':
      return <ConfigsView />
    case 'keys':
      return <KeysView />
    case 'usage':
      return <UsageView onNavigate={navigate} />
    case 'logs':
      return <LogsView />
    case 'status':
      return <StatusView />
    // The window's remaining views (uiviews).
    case 'connect':
      return <ConnectWizard onNavigate={navigate} />
    case 'routing':
      return <RoutingView />
    case 'workspaces':
      return <WorkspacesView />
    case 'budgets':
      return <BudgetsView />
    case 'guardrails':
      return <GuardrailsView />
    case 'tools':
      return <ToolsView />
    case 'settings':
      return <SettingsView />
  }
}

function SignInNotice({ rejected }: { rejected: boolean }) {
  return (
    <div className="signin">
      <div className="card signin-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchyard
        </div>
        <h1>{rejected ? 'The admin token was not accepted' : 'Open the admin link to sign in'}</h1>
        <p>
          The headless server prints an <strong>Admin UI</strong> link when it starts, of the form{' '}
          <code>http://127.0.0.1:PORT/ui/#token=…</code>. Open that link in this browser tab; the token stays in this
          tab only.
        </p>
        {rejected ? (
          <p className="muted">
            The token may belong to an earlier run of the server. Restart it or copy the new link from its output.
          </p>
        ) : null}
      </div>
    </div>
  )
}
