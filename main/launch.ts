/**
 * The bundled entry (`dist/cli.js`): turns on Node's on-disk compile cache, then loads the CLI, so
 * every start after the first skips compiling the bundle (~35 ms of the startup otherwise).
 * The cache lives in the OS temp folder (or NODE_COMPILE_CACHE) and holds compiled code only.
 * V8's young generation stays small while the bundle loads (v8Memory.ts; `serve` lets it grow once started).
 */
import module from 'node:module'
import { youngGenerationGrows } from './v8Memory.ts'

youngGenerationGrows(false)
module.enableCompileCache?.()
await import('./cli.ts')
