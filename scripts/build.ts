/**
 * Builds what `npm start` runs: the headless entry bundled into one file (fast start: one file to
 * load, TypeScript already stripped) and the web UI. Native modules stay external (N-API binaries).
 */
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const only = process.argv[2]

if (only !== 'renderer') {
  const started = performance.now()
  // One build for the headless entry and the desktop shell. Code splitting keeps what only some
  // requests need (the tokenizer behind count_tokens) out of the startup path.
  await build({
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
    logLevel: 'warning',
  })
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
  console.log(`built dist/cli.js, dist/electron.js and dist/preload.cjs in ${Math.round(performance.now() - started)} ms`)
}
if (only !== 'main') {
  execFileSync(process.execPath, [`${root}/node_modules/vite/bin/vite.js`, 'build', '--config', `${root}/renderer/vite.config.ts`, '--logLevel', 'warn'], { stdio: 'inherit', cwd: root })
  console.log('built dist/renderer')
}
