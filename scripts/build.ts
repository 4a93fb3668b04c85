/**
 * Builds what `npm start` runs: the headless entry bundled into one file (fast start: one file to
 * load, TypeScript already stripped) and the web UI. Native modules stay external (N-API binaries).
 * Incremental: each part is rebuilt only when one of its inputs changed since the last build (a
 * fingerprint of sizes and mtimes in dist/.build-*), so `npm start` on a current build starts at once.
 * `--force` rebuilds regardless. Usage: node scripts/build.ts [main|renderer] [--force]
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { partFingerprint, partIsCurrent, stampFile, writeStamp, type BuildPart } from './buildStamp.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const force = args.includes('--force')
const only = args.find((a) => !a.startsWith('--'))
mkdirSync(`${root}/dist`, { recursive: true })

async function part(name: BuildPart, run: () => Promise<void> | void): Promise<void> {
  const print = partFingerprint(root, name)
  if (!force && partIsCurrent(root, name, print)) return void console.log(`dist ${name} is current`)
  const started = performance.now()
  await run()
  writeStamp(stampFile(root, name), print)
  console.log(`built ${name} in ${Math.round(performance.now() - started)} ms`)
}

/**
 * Node's builtins through `require`, not `import`: importing a builtin as ESM reads every export to
 * build the module namespace, and that runs node:http's lazy getters, which load undici, http2 and
 * worker_threads (~45 ms and ~8 MB of the start, for nothing the gateway uses).
 */
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b: import('esbuild').PluginBuild) {
    // A dynamic import() stays Node's own: esbuild would hand it a CommonJS module's `default` only.
    b.onResolve({ filter: /^node:/ }, (a) => (a.namespace === 'builtin' || a.kind === 'dynamic-import' ? { path: a.path, external: true } : { path: a.path, namespace: 'builtin' }))
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ contents: `module.exports = require(${JSON.stringify(a.path)})`, loader: 'js' }))
  },
}

/**
 * The price catalog as a compact JSON table next to each bundled module that reads it
 * (main/limits/priceTable.ts): the package's own JavaScript costs ~19 MB of RSS and ~70 ms to load.
 */
async function priceTable(): Promise<string> {
  const { compactCatalog } = await import('../main/limits/priceTable.ts')
  const { catalogVersion } = await import('../main/limits/catalogPrice.ts')
  const { waitForUpdate } = await import('@pydantic/genai-prices')
  const providers = await waitForUpdate()
  if (!providers) throw new Error('@pydantic/genai-prices has no data')
  return JSON.stringify(compactCatalog(providers, catalogVersion))
}

/** Writes a data file next to every bundled file built from an input `from` matches (the module reads it from its own URL). */
function writeNextToReaders(outputs: import('esbuild').Metafile['outputs'], from: RegExp, name: string, json: string): void {
  const readers = Object.entries(outputs).filter(([, o]) => Object.keys(o.inputs).some((i) => from.test(i)))
  for (const dir of new Set(readers.map(([file]) => dirname(join(root, file))))) writeFileSync(join(dir, name), json)
}

/**
 * gpt-tokenizer's o200k ranks (200k strings) as JSON read at runtime instead of a 2.4 MB JavaScript
 * array literal: V8 keeps a literal's source and boilerplate alive and parses it with far more memory
 * than JSON.parse. The same array (test/unit/tokenizerRanks.test.ts); the file sits next to the chunk.
 */
const ranksModule = /gpt-tokenizer[\\/]esm[\\/]bpeRanks[\\/]o200k_base\.js$/
const ranksFile = 'o200k_base.ranks.json'
const tokenizerRanksAsJson = {
  name: 'tokenizer-ranks-as-json',
  setup(b: import('esbuild').PluginBuild) {
    b.onLoad({ filter: ranksModule }, () => ({
      contents: `import { readFileSync } from 'node:fs'\nexport default JSON.parse(readFileSync(new URL('./${ranksFile}', import.meta.url), 'utf8'))`,
      loader: 'js',
    }))
  },
}

async function tokenizerRanks(): Promise<string> {
  const { default: ranks } = (await import('gpt-tokenizer/bpeRanks/o200k_base' as string)) as { default: unknown[] }
  return JSON.stringify(ranks)
}

if (only !== 'renderer') {
  await part('main', async () => {
    // One build for the headless entry and the desktop shell. Code splitting keeps what only some
    // requests need (the tokenizer behind count_tokens) out of the startup path.
    // Loaded only when needed: a current build never pays for esbuild.
    const { build } = await import('esbuild')
    // Chunk names carry content hashes: without this, every rebuild leaves the last one's chunks behind.
    rmSync(`${root}/dist/chunks`, { recursive: true, force: true })
    const bundled = await build({
      entryPoints: { cli: `${root}/main/launch.ts`, electron: `${root}/main/electron/main.ts` },
      outdir: `${root}/dist`,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      sourcemap: 'linked',
      external: ['better-sqlite3', 'keytar', 'electron'],
      // ESM output still loads the external CommonJS natives through require().
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      plugins: [builtinsViaRequire, tokenizerRanksAsJson],
      metafile: true, // its paths are relative to absWorkingDir
      absWorkingDir: root,
      logLevel: 'warning',
    })
    writeNextToReaders(bundled.metafile.outputs, ranksModule, ranksFile, await tokenizerRanks())
    writeNextToReaders(bundled.metafile.outputs, /^main\/limits\/catalogPrice\.ts$/, (await import('../main/limits/catalogPrice.ts')).builtTableName, await priceTable())
    // The window's preload runs sandboxed: one CommonJS file, nothing to require but electron.
    await build({
      entryPoints: { preload: `${root}/preload/preload.ts` },
      outdir: `${root}/dist`,
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'chrome140',
      minify: true,
      external: ['electron'],
      logLevel: 'warning',
    })
  })
}
if (only !== 'main') {
  await part('renderer', () => {
    execFileSync(process.execPath, [`${root}/node_modules/vite/bin/vite.js`, 'build', '--config', `${root}/renderer/vite.config.ts`, '--logLevel', 'warn'], { stdio: 'inherit', cwd: root })
  })
}
