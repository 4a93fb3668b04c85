/**
 * `npm test`: typecheck, lint, build the UI (the end-to-end tests drive it in Chromium), then every test
 * file with Node's test runner. On Linux the run happens inside a private, throwaway Secret Service
 * (test/with-keyring.sh), so vault tests use a real OS keychain and never the user's own.
 * Arguments are test file globs (default: all).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const globs = process.argv.slice(2)
const files = globs.length ? globs : ['test/**/*.test.ts']

function run(cmd: string, args: string[], label: string): void {
  const started = performance.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root })
  if (r.status !== 0) {
    console.error(`\n${label} failed (exit ${r.status ?? r.signal})`)
    process.exit(r.status ?? 1)
  }
  console.log(`${label}: ok (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

if (!process.env.SWITCHYARD_SKIP_TYPECHECK) {
  run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], 'typecheck main, preload, tests')
  run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'renderer'], 'typecheck renderer')
  // Import boundaries (DESIGN.md's layering) and the recommended rules: eslint.config.js.
  run(process.execPath, ['node_modules/eslint/bin/eslint.js', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'], 'lint')
}
if (!globs.length || globs.some((g) => g.includes('e2e'))) run(process.execPath, ['scripts/build.ts'], 'build')
// The real CLI clients (Claude Code, Codex: ~800 MB) live in their own pinned package, installed on first need.
const needsClients = !globs.length || globs.some((g) => g.includes('conformance'))
if (needsClients && !existsSync(`${root}/test/clients/node_modules/.bin/claude`)) {
  run('npm', ['ci', '--prefix', 'test/clients', '--no-audit', '--no-fund'], 'install test clients (Claude Code, Codex CLIs)')
}

const testArgs = ['--test', '--test-reporter=spec', '--test-timeout=300000', ...files]
const haveKeyring = process.platform === 'linux' && ['dbus-run-session', 'gnome-keyring-daemon'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0)
if (process.env.SWITCHYARD_TEST_KEYRING === '1' || !haveKeyring) {
  if (process.platform === 'linux' && !haveKeyring) {
    console.warn('No dbus-run-session/gnome-keyring-daemon: keychain tests are skipped (install gnome-keyring and dbus to run them).')
  }
  const r = spawnSync(process.execPath, testArgs, { stdio: 'inherit', cwd: root })
  process.exit(r.status ?? 1)
}
if (!existsSync(`${root}/test/with-keyring.sh`)) throw new Error('test/with-keyring.sh is missing')
const r = spawnSync('dbus-run-session', ['--', `${root}/test/with-keyring.sh`, process.execPath, ...testArgs], { stdio: 'inherit', cwd: root })
process.exit(r.status ?? 1)
