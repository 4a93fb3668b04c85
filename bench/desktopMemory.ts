/**
 * Desktop memory budget: what the gateway core adds to the process that hosts it (in the app,
 * Electron's main process) at idle, measured against a bare Node process. `node bench/desktopMemory.ts
 * [--rounds 5]`. Each round starts both children side by side: `bare` idles, `core` runs
 * `startSwitchyard` (store, vault, routing, server, Control API) in a throwaway data dir; each settles,
 * runs a full GC, and reports its RSS. The verdict compares the median difference with 40 MB.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const BUDGET_MB = 40
const { values } = parseArgs({ options: { rounds: { type: 'string' }, child: { type: 'string' } } })

async function settle(): Promise<{ rss: number; heapUsed: number }> {
  await new Promise((r) => setTimeout(r, 1500))
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await new Promise((r) => setTimeout(r, 100))
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heapUsed: m.heapUsed }
}

if (values.child) {
  let stop = async () => {}
  if (values.child === 'core') {
    // The app loads the core bundled (dist/electron.js), not as TypeScript source: measure that.
    const { startSwitchyard } = (await import(process.env.SWITCHYARD_CORE_BUNDLE ?? '../main/startSwitchyard.ts')) as typeof import('../main/startSwitchyard.ts')
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-mem-'))
    const running = await startSwitchyard({ dataDir, port: 0, insecureKeyFile: true })
    stop = async () => {
      await running.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  process.stdout.write(`${JSON.stringify(await settle())}\n`)
  await stop()
  process.exit(0)
}

/** The core as the app ships it: minified ESM with split chunks, native modules external (as scripts/build.ts does). */
async function bundleCore(dir: string): Promise<string> {
  const { build } = await import('esbuild')
  await build({
    entryPoints: { core: fileURLToPath(new URL('../main/startSwitchyard.ts', import.meta.url)) },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    // As the app's build: what only some requests need (the tokenizer) stays in a chunk, loaded on use.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    external: ['better-sqlite3', 'keytar', 'electron'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
    logLevel: 'warning',
  })
  return join(dir, 'core.mjs')
}

const work = mkdtempSync(join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.switchyard-mem-'))
const coreBundle = await bundleCore(work)

function child(mode: 'bare' | 'core'): Promise<{ rss: number; heapUsed: number }> {
  const me = fileURLToPath(import.meta.url)
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', me, '--child', mode], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SWITCHYARD_CORE_BUNDLE: coreBundle } })
    let out = ''
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')) : reject(new Error(`${mode} child exited ${code}`))))
  })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const mb = (b: number) => b / 1024 / 1024

const rounds = Math.max(1, Math.min(15, Number(values.rounds ?? 5)))
const rows: Array<{ bare: number; core: number }> = []
for (let i = 0; i < rounds; i++) {
  const [bare, core] = await Promise.all([child('bare'), child('core')])
  rows.push({ bare: bare.rss, core: core.rss })
  console.log(`round ${i + 1}: bare ${mb(bare.rss).toFixed(1)} MB, core ${mb(core.rss).toFixed(1)} MB, added ${mb(core.rss - bare.rss).toFixed(1)} MB`)
}
const added = median(rows.map((r) => r.core - r.bare))
const bare = median(rows.map((r) => r.bare))
console.log(`\nidle RSS added by the gateway core: ${mb(added).toFixed(1)} MB (median of ${rounds}); bare Node ${mb(bare).toFixed(1)} MB; ratio core/bare ${((bare + added) / bare).toFixed(2)}×`)
console.log(`verdict: ${mb(added) <= BUDGET_MB ? 'PASS' : 'FAIL'} (budget ≤ ${BUDGET_MB} MB)`)
rmSync(work, { recursive: true, force: true })
process.exitCode = mb(added) <= BUDGET_MB ? 0 : 1
