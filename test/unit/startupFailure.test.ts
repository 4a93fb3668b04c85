/** Start-up failure dialogs: the problem recognised and the choices offered, table. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startupDialog } from '../../main/desktop/startupFailure.ts'
import { VaultError } from '../../main/vault/VaultError.ts'

const lostKey = Object.assign(new VaultError('wrong_key', 'The data key for this vault is missing'), {
  resetImpact: { secrets: 3, integrations: ['anthropic', 'openai'], configs: ['prod'] },
})
const ctx = { port: 8787, dataDir: '/home/me/.local/share/switchyard', keyFilePath: '/home/me/.local/share/switchyard/vault.key' }

test('each start-up failure, its dialog and choices, table', () => {
  const rows: Array<{ err: unknown; problem: string; choices: string[]; retry?: unknown; defaultLabel: string }> = [
    { err: new VaultError('keychain_unavailable', 'No Secret Service'), problem: 'no-keychain', choices: ['Use a key file', 'Quit'], retry: { insecureKeyFile: true }, defaultLabel: 'Quit' },
    { err: new Error('port 8787 on 127.0.0.1 is already in use; choose another with --port'), problem: 'port-taken', choices: ['Use another port', 'Quit'], retry: { port: 0 }, defaultLabel: 'Use another port' },
    { err: Object.assign(new Error('listen failed'), { code: 'EADDRINUSE' }), problem: 'port-taken', choices: ['Use another port', 'Quit'], retry: { port: 0 }, defaultLabel: 'Use another port' },
    { err: new Error('Switchyard is already running on this data directory (pid 4242, http://127.0.0.1:8787)'), problem: 'data-dir-locked', choices: ['Try again', 'Quit'], retry: {}, defaultLabel: 'Try again' },
    { err: new Error('SqliteError: database is locked'), problem: 'data-dir-locked', choices: ['Try again', 'Quit'], retry: {}, defaultLabel: 'Try again' },
    { err: new VaultError('keyring_changed', 'kept in a key file'), problem: 'vault-key', choices: ['Quit'], defaultLabel: 'Quit' },
    { err: new VaultError('wrong_key', 'The data key for this vault is missing'), problem: 'vault-key', choices: ['Quit'], defaultLabel: 'Quit' },
    { err: lostKey, problem: 'vault-key', choices: ['Delete the keys and start a new vault', 'Quit'], retry: { resetVault: true }, defaultLabel: 'Quit' },
    { err: new Error('boom'), problem: 'other', choices: ['Try again', 'Quit'], retry: {}, defaultLabel: 'Quit' },
  ]
  for (const r of rows) {
    const d = startupDialog(r.err, ctx)
    assert.equal(d.problem, r.problem, String(r.err))
    assert.deepEqual(d.choices.map((c) => c.label), r.choices, d.problem)
    assert.equal(d.choices[d.defaultIndex]?.label, r.defaultLabel, `${d.problem}: default`)
    assert.equal(d.choices.at(-1)?.kind, 'quit', 'Escape (the last choice) quits')
    const retry = d.choices.find((c) => c.kind === 'retry')
    assert.deepEqual(retry?.kind === 'retry' ? retry.with : undefined, r.retry)
    assert.ok(d.detail.includes(r.err instanceof Error ? r.err.message : ''), 'the cause is shown')
  }
})

test('the key-file choice names the file and its risk; the port choice names the port', () => {
  const k = startupDialog(new VaultError('keychain_unavailable', 'x'), ctx)
  assert.match(k.detail, /vault\.key/)
  assert.match(k.detail, /can decrypt/)
  assert.match(startupDialog(new Error('already in use'), ctx).title, /Port 8787 is taken/)
})

test('the new-vault choice says what it deletes and what must be entered again', () => {
  const d = startupDialog(lostKey, ctx)
  assert.match(d.detail, /deletes the 3 stored secrets that cannot be decrypted; the API keys of integrations 'anthropic', 'openai' and config 'prod' must then be entered again/)
  assert.match(d.detail, /Usage logs, API keys, budgets, settings and everything else stay/)
})
