/**
 * `npm start`: builds, then runs the desktop tray app when an Electron binary is present, and the
 * headless gateway with its web UI otherwise (saying which, and why). Arguments go to `serve`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const build = spawnSync(process.execPath, [join(root, 'scripts/build.ts')], { stdio: 'inherit', cwd: root })
if (build.status !== 0) process.exit(build.status ?? 1)

function electronBinary(): string | null {
  // electron@45 downloads its binary lazily; only use it when it is already here (no download at start).
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) && process.env.SWITCHYARD_HEADLESS !== '1' ? bin : null
}

const electron = electronBinary()
const child = electron
  ? spawn(electron, [root], { stdio: 'inherit', cwd: root })
  : (console.log('No Electron binary on this machine (it cannot be downloaded here): starting the headless gateway with its web UI.'),
    spawn(process.execPath, [join(root, 'dist/cli.js'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root }))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
