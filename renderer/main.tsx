/**
 * Entry point: capture the admin token from the URL fragment, build the stores on the default
 * gateway (IPC bridge in the desktop app, HTTP in the browser) and render the app.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { captureAdminToken, hasTokenFragment, readAdminToken } from './lib/captureAdminToken.ts'
import { defaultGateway } from './lib/gateway.ts'
import { followEvents } from './lib/followEvents.ts'
import { defaultLiveSource } from './lib/liveEvents.ts'
import { StoresContext } from './lib/useStores.ts'
import { createAppStores } from './stores/appStores.ts'
import './styles.css'

const token = captureAdminToken(window)
const gateway = defaultGateway(() => readAdminToken(window))
const stores = createAppStores(gateway, defaultLiveSource(() => readAdminToken(window)))
followEvents(gateway, stores)
// The admin link opened in a tab that already shows the UI only changes the fragment: take the
// new token and start over with it.
window.addEventListener('hashchange', () => {
  if (!hasTokenFragment(window.location.hash)) return
  captureAdminToken(window)
  window.location.reload()
})
const hasCredentials = token !== null || window.switchyard !== undefined

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <StoresContext value={stores}>
      <App hasCredentials={hasCredentials} />
    </StoresContext>
  </StrictMode>,
)
