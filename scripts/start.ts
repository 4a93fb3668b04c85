/**
 * `npm start`: builds (only what changed), then runs the desktop tray app when an Electron binary is present, and the
 * headless gateway with its web UI otherwise (saying which, and why). Arguments go to `serve`.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { partIsCurrent } from './buildStamp.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
// The up-to-date check runs here, in-process (a few ms); only a stale build pays for the build script.
if (partIsCurrent(root, 'main') && partIsCurrent(root, 'renderer')) console.log('dist is current (no rebuild)')
else {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build.ts')], { stdio: 'inherit', cwd: root })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

function electronBinary(): string | null {
  // electron@45 downloads its binary lazily; only use it when it is already here (no download at start).
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(bin) && process.env.SWITCHYARD_HEADLESS !== '1' ? bin : null
}

const electron = electronBinary()
if (electron) {
  const child = spawn(electron, [root], { stdio: 'inherit', cwd: root })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log('No Electron binary on this machine (it cannot be downloaded here): starting the headless gateway with its web UI.')
  // In this process, not a child: one Node start fewer before the first answer.
  const cli = join(root, 'dist/cli.js')
  process.argv = [process.argv[0] as string, cli, 'serve', ...process.argv.slice(2)]
  await import(pathToFileURL(cli).href)
}
