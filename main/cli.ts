#!/usr/bin/env node
/**
 * Headless entry. `serve` runs the gateway core without Electron; `apply` applies a setup file to a
 * running server (found through its data directory) or directly to the data directory.
 * Usage: switchyard serve [--port N] [--host H] [--data-dir DIR] [--config FILE] [--insecure-key-file]
 *        switchyard apply FILE [--data-dir DIR] [--insecure-key-file]
 *        switchyard reset-vault [--data-dir DIR] [--insecure-key-file] [--yes]
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createInterface } from 'node:readline/promises'
import type { ApplyResult, Result } from '../preload/contract.ts'
import { defaultDataDir } from './dataDir.ts'
import { log } from './log.ts'
import { readRuntimeFile, startSwitchyard } from './startSwitchyard.ts'
import { isVaultError } from './vault/VaultError.ts'
import { describeVaultReset, type VaultResetImpact } from './resetVault.ts'
import { findUiDir } from './uiDir.ts'
import { version } from './version.ts'
import { releaseMemoryNow, releaseMemoryWhenIdle, youngGenerationGrows } from './v8Memory.ts'
import { yaml } from './yaml.ts'

const out = (line = '') => process.stdout.write(line + '\n')

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  'insecure-key-file': { type: 'boolean' },
  'admin-token': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  help: { type: 'boolean', short: 'h' },
} as const

const help = `Switchyard ${version}: a local AI gateway.

Usage:
  switchyard serve [options]        run the gateway (headless) with its web UI at /ui
  switchyard apply FILE [options]   apply a setup file (YAML or JSON); idempotent
  switchyard reset-vault [options]  when the vault's key is lost: delete the secrets it cannot decrypt
                                    and start a new vault (asks first; --yes for scripts)

Options (environment variable in brackets):
  --port N              port to listen on, 0 for any (SWITCHYARD_PORT, default 8787)
  --host H              address to bind (SWITCHYARD_HOST, default 127.0.0.1; anything else is reachable from other machines)
  --data-dir DIR        where the database lives (SWITCHYARD_DATA_DIR, default ${defaultDataDir()})
  --config FILE         setup file applied at start (SWITCHYARD_CONFIG)
  --insecure-key-file   keep the vault key in a 0600 file when no OS keychain is available (SWITCHYARD_INSECURE_KEY_FILE=1)
  --admin-token T       fixed admin token instead of a random one per start (SWITCHYARD_ADMIN_TOKEN)
`

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  const env = process.env
  const command = positionals[0] ?? 'serve'
  if (values.help) return (out(help), 0)
  const dataDir = values['data-dir'] ?? defaultDataDir()
  const insecureKeyFile = values['insecure-key-file'] ?? env.SWITCHYARD_INSECURE_KEY_FILE === '1'
  if (command === 'serve') {
    // Neither flag nor env var: the port and host saved in Settings (default 8787 on 127.0.0.1).
    const portText = values.port ?? env.SWITCHYARD_PORT
    const port = portText === undefined ? undefined : Number(portText)
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be 0-65535, not '${portText}'`)
    return serve({ port, host: values.host ?? env.SWITCHYARD_HOST, dataDir, insecureKeyFile, config: values.config ?? env.SWITCHYARD_CONFIG, adminToken: values['admin-token'] ?? env.SWITCHYARD_ADMIN_TOKEN })
  }
  if (command === 'apply') {
    const file = positionals[1]
    if (!file) throw new Error('usage: switchyard apply FILE')
    return apply(file, dataDir, insecureKeyFile)
  }
  if (command === 'reset-vault') return resetVaultCommand(dataDir, insecureKeyFile, values.yes === true)
  throw new Error(`unknown command '${command}'\n\n${help}`)
}

async function serve(o: { port: number | undefined; host: string | undefined; dataDir: string; insecureKeyFile: boolean; config: string | undefined; adminToken: string | undefined }): Promise<number> {
  const uiDir = findUiDir(import.meta.url)
  const start = (insecureKeyFile: boolean, resetVault: boolean) =>
    startSwitchyard({
      resetVault,
      port: o.port,
      host: o.host,
      dataDir: o.dataDir,
      insecureKeyFile,
      adminToken: o.adminToken,
      uiDir,
    })
  let running
  try {
    running = await start(o.insecureKeyFile, false)
  } catch (err) {
    // A person at a terminal may opt into a key file (no keychain) or a new vault (its key lost) right
    // here; a script must pass the flag or run `reset-vault --yes`.
    if (!isVaultError(err) || !process.stdin.isTTY) throw err
    if (err.code === 'keychain_unavailable' && (await confirmKeyFile(err.message, o.dataDir))) running = await start(true, false)
    else if (err.resetImpact && (await confirmReset(err.message, err.resetImpact))) running = await start(o.insecureKeyFile, true)
    else throw err
  }
  const stop = async () => {
    await running.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
  // Started: the young generation may grow with the load again, and memory goes back when it is over.
  youngGenerationGrows(true)
  releaseMemoryWhenIdle()

  if (o.config) printApply(await running.control.invoke('config:apply', { document: readSetupFile(o.config), env: referencedEnv(o.config) }))
  const firstKey =
    running.store.apiKeys.list().length === 0 ? await running.control.invoke('keys:create', { name: 'default' }) : null
  const status = await running.control.invoke('system:status', {})
  out(`Switchyard ${version}: headless gateway (the desktop tray app needs Electron; this is the same core with its web UI)`)
  out(`  Gateway:   ${running.url}    OpenAI-compatible base URL: ${running.url}/v1`)
  out(`  Admin UI:  ${running.adminUrl}`)
  out(`  Admin API: ${running.url}/admin/api/<command>  (OpenAPI: ${running.url}/admin/openapi.json; token above)`)
  // The README's curl examples use these two variables: one line to paste into another shell.
  out(`  For curl:  export ADMIN=${running.url}/admin/api ADMIN_TOKEN=${running.adminToken}`)
  out(`  Data:      ${o.dataDir}  (vault key in ${status.vaultBackend === 'keychain' ? 'the OS keychain' : 'a key file'})`)
  if (firstKey) out(`  Your first API key (shown once, store it now): ${firstKey.key}`)
  for (const w of status.warnings) out(`  WARNING: ${w}`)
  out('Ready. Ctrl+C stops it (queued usage is written first).')
  releaseMemoryNow() // the start's garbage goes back to the OS before the first call, not minutes later
  return -1 // keep running
}

async function confirmKeyFile(reason: string, dataDir: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    out(reason)
    const answer = await rl.question(
      `Keep the vault key in ${join(dataDir, 'vault.key')} (mode 0600) instead? Anyone who can read that file can decrypt your provider keys. [y/N] `,
    )
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}

async function confirmReset(reason: string, impact: VaultResetImpact): Promise<boolean> {
  out(reason)
  out(describeVaultReset(impact, 'ahead'))
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return /^y(es)?$/i.test((await rl.question('Delete them and start a new vault? [y/N] ')).trim())
  } finally {
    rl.close()
  }
}

/**
 * Starts a new vault when the current one cannot be opened, after saying what that deletes. A vault
 * that opens is left alone: this command never destroys secrets that can still be read.
 */
async function resetVaultCommand(dataDir: string, insecureKeyFile: boolean, yes: boolean): Promise<number> {
  const once = (resetVault: boolean) => startSwitchyard({ dataDir, insecureKeyFile, port: 0, resetVault })
  let app
  try {
    app = await once(false)
  } catch (err) {
    if (!isVaultError(err) || !err.resetImpact) throw err
    if (!yes && !process.stdin.isTTY) throw new Error(`${err.message}\n${describeVaultReset(err.resetImpact, 'ahead')} Run again with --yes to do that.`, { cause: err })
    if (!yes && !(await confirmReset(err.message, err.resetImpact))) return (out('Nothing changed.'), 1)
    app = await once(true)
    try {
      for (const w of (await app.control.invoke('system:status', {})).warnings) if (w.startsWith('A new vault')) out(w)
    } finally {
      await app.stop()
    }
    return 0
  }
  await app.stop()
  out(`The vault in ${dataDir} opens with its key: nothing to reset.`)
  return 0
}

async function apply(file: string, dataDir: string, insecureKeyFile: boolean): Promise<number> {
  const document = readSetupFile(file)
  const env = referencedEnv(file)
  const running = readRuntimeFile(dataDir)
  if (running) {
    const res = await fetch(`${running.url}/admin/api/config:apply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ document, env }),
    })
    const body = (await res.json()) as Result<ApplyResult>
    if (!body.ok) throw new Error(`${body.error.path ? body.error.path + ': ' : ''}${body.error.message}`.replace(/^(.+): \1: /, '$1: '))
    out(`Applied to the running server at ${running.url}`)
    printApply(body.value)
    return 0
  }
  const app = await startSwitchyard({ dataDir, insecureKeyFile, port: 0 })
  try {
    printApply(await app.control.invoke('config:apply', { document, env }))
    out(`Applied to ${dataDir}`)
  } finally {
    await app.stop()
  }
  return 0
}

function readSetupFile(file: string): unknown {
  const text = readFileSync(file, 'utf8')
  try {
    return yaml().parse(text) as unknown // YAML is a superset of JSON
  } catch (err) {
    throw new Error(`${file} is not valid YAML or JSON: ${(err as Error).message}`, { cause: err })
  }
}

/** The environment variables a setup file refers to as `${VAR}`, and only those. */
function referencedEnv(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of readFileSync(file, 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const name = m[1] as string
    const value = process.env[name]
    if (value !== undefined) out[name] = value
  }
  return out
}

function printApply(r: ApplyResult): void {
  out(`  created: ${r.created.join(', ') || 'nothing'}`)
  out(`  updated: ${r.updated.join(', ') || 'nothing'}`)
  out(`  unchanged: ${r.unchanged.length}`)
  for (const k of r.generatedKeys) out(`  new API key ${k.workspace}/${k.name} (shown once): ${k.key}`)
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (err: unknown) => {
    const e = err as Error & { code?: string; path?: string }
    const where = e.path ? `${e.path}: ` : ''
    log.debug('fatal', { error: err })
    process.stderr.write(`switchyard: ${e.message.startsWith(where) ? e.message : where + e.message}\n`)
    process.exit(1)
  },
)
