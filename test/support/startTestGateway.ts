/**
 * Starts a real Switchyard (store, vault, HTTP server on a free loopback port) in a temp data dir,
 * with an admin client for the Control API over HTTP. Under test/with-keyring.sh the vault key goes
 * to the real Secret Service; elsewhere to a key file, so the suite also runs on a bare machine.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommandName, CommandOutput, Result } from '../../preload/contract.ts'
import { startSwitchyard, type Running } from '../../main/startSwitchyard.ts'
import { keychainStore } from '../../main/vault/keychain.ts'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'
import type { HostResolver } from '../../main/network/upstreamHost.ts'
import type { BodyLimits } from '../../main/gateway/server.ts'

export type TestGateway = {
  url: string
  dataDir: string
  running: Running
  /** Calls a Control API command over HTTP; throws on `{ok:false}`. */
  admin<N extends CommandName>(name: N, input?: unknown): Promise<CommandOutput<N>>
  /** The raw HTTP response of an admin call, for status and header checks. */
  adminRaw(name: string, input: unknown, headers?: Record<string, string>): Promise<Response>
  /** A fresh Switchyard API key in the default workspace. */
  newKey(name?: string, workspaceId?: string): Promise<string>
  stop(): Promise<void>
}

export async function startTestGateway(opts: { env?: Record<string, string>; resolveHost?: HostResolver; bodyLimits?: Partial<BodyLimits> } = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-test-'))
  const keyStore =
    process.env.SWITCHYARD_TEST_KEYRING === '1' ? keychainStore('Switchyard-test') : keyFileStore(join(dataDir, 'vault.key'))
  const running = await startSwitchyard({ dataDir, port: 0, keyStore, adminToken: 'test-admin-token-0123456789', env: opts.env, ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}), ...(opts.bodyLimits ? { bodyLimits: opts.bodyLimits } : {}) })
  const host = new URL(running.url).host
  const adminRaw = (name: string, input: unknown, headers: Record<string, string> = {}) =>
    fetch(`${running.url}/admin/api/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json', host, ...headers },
      body: JSON.stringify(input ?? {}),
    })
  const gw: TestGateway = {
    url: running.url,
    dataDir,
    running,
    adminRaw,
    async admin(name, input) {
      const res = await adminRaw(name, input)
      const body = (await res.json()) as Result<never>
      if (!body.ok) throw Object.assign(new Error(`${name}: ${body.error.code}: ${body.error.message}`), body.error)
      return body.value
    },
    async newKey(name = 'test', workspaceId) {
      return (await gw.admin('keys:create', { name, ...(workspaceId ? { workspaceId } : {}) })).key
    },
    async stop() {
      await running.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return gw
}
