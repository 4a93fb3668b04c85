/**
 * Assembles the core: store, vault, routing table, Control API and the HTTP server, and takes it
 * apart again in order on stop (usage flushed before the database closes). Used by the headless
 * `serve` command, the tests, the benchmarks and (later) the Electron shell. Never imports electron.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Server } from 'node:http'
import { createAdminHttp } from './control/adminHttp.ts'
import { createControlService, type ControlService } from './control/createControlService.ts'
import { createGatewayServer, listen, type BodyLimits } from './gateway/server.ts'
import type { UsageWrites } from './store/UsageWriter.ts'
import { createGovernance } from './limits/createGovernance.ts'
import { log, redact } from './log.ts'
import type { HostResolver } from './network/upstreamHost.ts'
import { compileRoutingTable } from './routing/compileRoutingTable.ts'
import { createRoutingTableHolder } from './routing/RoutingTable.ts'
import { openStore, type Store } from './store/Store.ts'
import { pruneUsage, readAppSettings } from './settings/appSettings.ts'
import { keychainStore } from './vault/keychain.ts'
import { keyFileStore } from './vault/keyFileStore.ts'
import type { KeyStore } from './vault/KeyStore.ts'
import { openVault, type Vault } from './vault/openVault.ts'
import { isVaultError } from './vault/VaultError.ts'
import { describeVaultReset, resetVault, vaultResetImpact } from './resetVault.ts'
import { createCircuitBreaker } from './reliability/createCircuitBreaker.ts'
import { createResponseCache } from './reliability/responseCache.ts'
import { createPauseSwitch } from './gateway/pauseSwitch.ts'
import type { LoginItem } from './desktop/loginItem.ts'
import { version } from './version.ts'
import { markOldGenerationByFill } from './v8Memory.ts'

export type StartOptions = {
  dataDir: string
  port?: number
  host?: string
  /** Opt-in: keep the vault's data key in a 0600 file instead of the OS keychain. */
  insecureKeyFile?: boolean
  /** Fixed admin token (scripts, tests); otherwise a random one per start. */
  adminToken?: string
  /** Built web UI folder, or null. */
  uiDir?: string | null
  /** Replaces the key store (tests). */
  keyStore?: KeyStore
  /** The OS-keychain key store to use unless the vault chose a key file (desktop: safeStorage + keytar). */
  keychain?: KeyStore
  /** Epoch-ms clock for budgets and rate limits (a fake one in tests). */
  clock?: () => number
  env?: Record<string, string | undefined>
  /** Resolves per-request custom hosts before the SSRF check (tests); default: the OS resolver. */
  resolveHost?: HostResolver
  /** Request body limits (tests lower them); default: gateway/server.ts. */
  bodyLimits?: Partial<BodyLimits>
  /** How usage rows are written; default `journal` (crash-safe: store/UsageWriter.ts). */
  usageWrites?: UsageWrites
  /**
   * The user chose to start a new vault if the current one cannot be opened (its key lost or
   * replaced): the secrets sealed with the old key are deleted (main/resetVault.ts).
   */
  resetVault?: boolean
  /** Desktop: launch at login (Electron's login item, or XDG autostart on Linux). */
  loginItem?: LoginItem
}

export type Running = {
  url: string
  adminUrl: string
  adminToken: string
  store: Store
  control: ControlService
  server: Server
  stop(): Promise<void>
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1'])

export async function startSwitchyard(opts: StartOptions): Promise<Running> {
  markOldGenerationByFill() // once per process, for serve, the tray app and the benches alike (v8Memory.ts)
  const dataDir = resolve(opts.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const runtimeFile = join(dataDir, 'server.json')
  refuseIfRunning(runtimeFile)
  const store = openStore(join(dataDir, 'switchyard.db'), opts.usageWrites ? { usageWrites: opts.usageWrites } : {})
  // Settings saved in the window apply from the next start; flags and env vars (opts) win.
  const appSettings = readAppSettings(store.db)
  const host = opts.host ?? appSettings.host
  pruneUsage(store.db, appSettings.logRetentionDays, (opts.clock ?? Date.now)())
  // The key-file opt-in is made once, when the vault is created, and recorded in it: later starts
  // honour that choice instead of asking again (switching backends is refused by the vault anyway).
  const chosenKeyFile = opts.insecureKeyFile || vaultBackend(store) === 'keyfile'
  const keyStore = opts.keyStore ?? (chosenKeyFile ? keyFileStore(join(dataDir, 'vault.key')) : (opts.keychain ?? keychainStore()))
  let vault
  try {
    vault = await openVaultOrReset(store, keyStore, opts.resetVault === true)
  } catch (err) {
    store.close()
    throw err
  }
  const routes = createRoutingTableHolder(compileRoutingTable(store, vault))
  const governance = createGovernance(store, opts.clock)
  const clock = opts.clock ?? Date.now
  const adminToken = opts.adminToken ?? randomBytes(24).toString('base64url')
  redact(adminToken)
  let url = ''
  const warnings = (): string[] =>
    loopback.has(host) ? [] : [`The gateway listens on ${host}, reachable from other machines. Every request still needs a key.`]
  const pause = createPauseSwitch(clock)
  const control = createControlService({
    store,
    vault,
    routes,
    status: { version, gatewayUrl: () => url, dataDir, warnings },
    env: opts.env,
    governance,
    pause,
    clock,
    ...(opts.loginItem ? { loginItem: opts.loginItem } : {}),
  })
  governance.onAlert((alert) => control.emit('budget:thresholdCrossed', alert))
  // Rows as committed (with their ids), for live logs and charts: the SSE stream and IPC both listen here.
  store.usageWriter.onWritten((rows) => rows.forEach((row) => control.emit('usage:recorded', row)))
  const admin = createAdminHttp(control, { token: adminToken, allowedHosts: () => allowedHosts, version })
  let allowedHosts: ReadonlySet<string> | null = null
  const server = createGatewayServer({
    routes,
    usage: store.usageWriter,
    bodies: store.bodies,
    userAgent: `Switchyard/${version}`,
    limits: governance,
    paused: pause.paused,
    ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
    ...(opts.bodyLimits ? { bodyLimits: opts.bodyLimits } : {}),
    breaker: createCircuitBreaker({
      now: clock,
      onChange: (e) => {
        log.info(`circuit ${e.state}`, e)
        control.emit('target:circuitChanged', e)
      },
    }),
    cache: createResponseCache(store.db, { now: clock }),
    version,
    uiDir: opts.uiDir === undefined ? null : opts.uiDir,
    admin,
  })
  try {
    url = await listen(server, opts.port ?? appSettings.port, host)
  } catch (err) {
    store.close()
    throw err
  }
  const port = new URL(url).port
  allowedHosts = loopback.has(host) ? new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) : null
  const adminUrl = `${url}/ui/#token=${adminToken}`
  writeFileSync(runtimeFile, JSON.stringify({ pid: process.pid, url, adminToken }), { mode: 0o600 })
  chmodSync(runtimeFile, 0o600)

  let stopped: Promise<void> | null = null
  return {
    url,
    adminUrl,
    adminToken,
    store,
    control,
    server,
    stop() {
      stopped ??= (async () => {
        await new Promise<void>((done) => {
          admin.closeStreams()
          server.close(() => done())
          server.closeIdleConnections()
          // Streams in flight get a moment to finish; then they are cut and still recorded.
          setTimeout(() => server.closeAllConnections(), 2000).unref()
        })
        store.close() // flushes queued usage first
        rmSync(runtimeFile, { force: true })
        log.info('stopped')
      })()
      return stopped
    },
  }
}

/**
 * A vault that cannot be opened (`wrong_key`) is reset only when the user chose it; otherwise the
 * error says what a reset would delete, for the CLI's prompt and the desktop dialog.
 */
async function openVaultOrReset(store: Store, keyStore: KeyStore, reset: boolean): Promise<Vault> {
  try {
    return await openVault({ db: store.db, keyStore })
  } catch (err) {
    if (!isVaultError(err, 'wrong_key')) throw err
    if (!reset) {
      err.resetImpact = vaultResetImpact(store.db)
      throw err
    }
    log.warn('the vault could not be opened; starting a new one, as chosen', { reason: err.message })
    const impact = resetVault(store.db)
    const vault = await openVault({ db: store.db, keyStore })
    vault.warnings.push(describeVaultReset(impact, 'done'))
    return vault
  }
}

/** The runtime file a running server leaves in its data dir, read by `apply` to reach it. */
export function readRuntimeFile(dataDir: string): { pid: number; url: string; adminToken: string } | null {
  const file = join(resolve(dataDir), 'server.json')
  if (!existsSync(file)) return null
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string; adminToken: string }
    return isAlive(r.pid) ? r : null
  } catch {
    return null
  }
}

function refuseIfRunning(runtimeFile: string): void {
  if (!existsSync(runtimeFile)) return
  try {
    const r = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { pid: number; url: string }
    if (r.pid !== process.pid && isAlive(r.pid)) {
      throw new Error(`Switchyard is already running on this data directory (pid ${r.pid}, ${r.url})`)
    }
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Switchyard is already running')) throw err
  }
}

function vaultBackend(store: Store): string | undefined {
  const row = store.db.prepare("SELECT value FROM meta WHERE key = 'vault_backend'").get() as { value: string } | undefined
  return row?.value
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
