/**
 * Packaging without the network: electron-builder.yml is validated against electron-builder's own
 * schema (app-builder-lib getConfig + validateConfiguration), and `electron-builder --dir` runs
 * against a stand-in Electron folder (a small file carrying Electron's fuse wire) so the afterPack
 * hook really flips the fuses and app.asar really holds the app. Installers themselves (dmg, nsis,
 * AppImage, deb) need downloads and are built where those work.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)
type BuilderConfig = {
  npmRebuild?: boolean
  afterPack: string
  files: unknown
  linux: { target: unknown }
  win: { target: unknown }
  mac: { target: unknown; hardenedRuntime?: boolean; entitlements: string }
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, path: string | null, fromOptions: unknown): Promise<BuilderConfig>
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

const SENTINEL = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX')
/** Fuses as Electron ships them (ASCII '1' on, '0' off): RunAsNode, cookie encryption, NODE_OPTIONS, --inspect, asar integrity, asar only, V8 snapshot, file: privileges, wasm trap handlers. */
const SHIPPED = '101001111'

test('electron-builder.yml passes electron-builder’s schema and says what the issue asks', async () => {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null)
  await validateConfiguration(config, new DebugLogger(false))
  assert.equal(config.npmRebuild, false, 'N-API modules load without a rebuild (and none can run offline)')
  assert.deepEqual(config.linux.target, ['AppImage', 'deb'])
  assert.equal(config.win.target, 'nsis')
  assert.equal(config.mac.target, 'dmg')
  assert.equal(config.mac.hardenedRuntime, true)
  assert.match(readFileSync(join(root, config.mac.entitlements), 'utf8'), /com\.apple\.security\.cs\.allow-jit/)
  assert.ok(existsSync(join(root, config.afterPack)), 'the afterPack hook exists')
  assert.ok(JSON.stringify(config.files).includes('dist/preload.cjs'), 'the preload ships')
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  assert.match(pkg.scripts.package ?? '', /electron-builder/, '`npm run package` exists')
})

test('a broken config is refused by the same validation (the check can fail)', async () => {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), { mac: { hardenedRuntim: true } })
  await assert.rejects(validateConfiguration(config, new DebugLogger(false)), /does not match the API schema[\s\S]*configuration\.mac/)
})

test('`electron-builder --dir` against a stand-in Electron: app.asar holds the app, fuses are flipped', { timeout: 300_000 }, async () => {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.ts'), 'main'], { cwd: root, encoding: 'utf8' })
  assert.equal(build.status, 0, build.stderr)
  const work = mkdtempSync(join(tmpdir(), 'switchyard-package-'))
  try {
    const dist = join(work, 'electron-dist')
    mkdirSync(join(dist, 'resources'), { recursive: true })
    const wire = Buffer.concat([SENTINEL, Buffer.from([1, SHIPPED.length]), Buffer.from(SHIPPED)])
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n# stand-in Electron binary\n'), wire, Buffer.from('\n')]))
    chmodSync(join(dist, 'electron'), 0o755)
    const out = join(work, 'out')
    const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--dir', '--linux', '--x64', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    })
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`)
    const app = join(out, 'linux-unpacked')
    const binary = readFileSync(join(app, 'switchyard'))
    const at = binary.indexOf(SENTINEL) + SENTINEL.length
    assert.equal(binary[at], 1, 'fuse wire version')
    const fuses = binary.subarray(at + 2, at + 2 + SHIPPED.length).toString('latin1')
    // RunAsNode off, cookies encrypted, NODE_OPTIONS off, --inspect off, asar integrity on, asar only on, (V8 snapshot as shipped), file: privileges off, (wasm as shipped).
    assert.equal(fuses, '010011101')
    const asar = require('@electron/asar') as { listPackage(p: string, o: object): string[]; extractFile(p: string, f: string): Buffer }
    const files = asar.listPackage(join(app, 'resources', 'app.asar'), {}).map((f) => f.replaceAll('\\', '/'))
    for (const f of ['/dist/electron.js', '/dist/preload.cjs', '/package.json']) assert.ok(files.includes(f), `${f} in app.asar`)
    assert.equal(files.some((f) => f.endsWith('.map')), false, 'no source maps shipped')
    const pkg = JSON.parse(asar.extractFile(join(app, 'resources', 'app.asar'), 'package.json').toString('utf8')) as { main: string }
    assert.equal(pkg.main, 'dist/electron.js')
    assert.ok(existsSync(join(app, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3')), 'native module unpacked next to the asar')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
})
