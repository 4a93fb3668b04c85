/**
 * Test support for keychain tests: detects a real, usable Secret Service and gives each test file
 * its own keychain service name, removing every entry it created.
 * The probe runs a set/get/delete round trip in a child process, so an unlock prompt that never
 * answers cannot hang the test process. Under test/with-keyring.sh (SWITCHYARD_TEST_KEYRING=1)
 * the keychain is promised: an unreachable service fails those tests instead of skipping them.
 * Must not touch entries it did not create.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { after, test } from 'node:test'
import type { TestContext } from 'node:test'
import type { KeyStore } from '../../main/vault/KeyStore.ts'
import { keychainStore } from '../../main/vault/keychain.ts'

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

export type Probe = { ok: true } | { ok: false; reason: string }

const PROBE = `
import { createRequire } from 'node:module'
const keytar = createRequire(process.cwd() + '/package.json')('keytar')
const service = 'Switchyard-test-probe-' + process.pid
try {
  await keytar.setPassword(service, 'probe', 'x')
  const back = await keytar.getPassword(service, 'probe')
  await keytar.deletePassword(service, 'probe')
  if (back !== 'x') throw new Error('read back ' + JSON.stringify(back))
  console.log('ok')
} catch (err) {
  console.log(err instanceof Error ? err.message : String(err))
  process.exitCode = 1
}
`

export function probeSecretService(): Probe {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 15_000,
  })
  if (r.error) return { ok: false, reason: `probe did not finish: ${r.error.message}` }
  const out = r.stdout.trim()
  if (r.status === 0 && out === 'ok') return { ok: true }
  const last = (out || r.stderr.trim()).split('\n').at(-1) ?? `exit ${r.status}`
  return { ok: false, reason: last }
}

export const secretService: Probe = probeSecretService()
export const keyringRequired = process.env.SWITCHYARD_TEST_KEYRING === '1'

/** A test that needs the Secret Service: skipped with the reason when there is none, unless required. */
export function keychainTest(name: string, fn: (t: TestContext) => Promise<void>): void {
  if (secretService.ok) {
    test(name, fn)
  } else if (keyringRequired) {
    const reason = secretService.reason
    test(name, () => {
      throw new Error(`test/with-keyring.sh promised a Secret Service, but it is not usable: ${reason}`)
    })
  } else {
    test(name, {
      skip: `no usable Secret Service (${secretService.reason}); run under dbus-run-session -- test/with-keyring.sh`,
    }, fn)
  }
}

/**
 * A keychainStore under a unique service name. Every account it saves is removed when the test
 * file ends (reopened stores on the same service share the cleanup via `store()`).
 */
export function disposableKeychain(): { service: string; store: () => KeyStore } {
  const service = `Switchyard-test-${randomUUID()}`
  const accounts = new Set<string>()
  const store = (): KeyStore => {
    const inner = keychainStore(service)
    return {
      ...inner,
      save: async (account, key) => {
        accounts.add(account)
        await inner.save(account, key)
      },
    }
  }
  after(async () => {
    if (!secretService.ok) return
    const cleaner = keychainStore(service)
    for (const account of accounts) await cleaner.remove(account)
  })
  return { service, store }
}
