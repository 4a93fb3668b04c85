/**
 * What makes a build current: a fingerprint of its inputs (path, size and mtime of every file under
 * the given folders; no file is read, so checking costs a few ms) kept in a stamp file next to the output.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const shared = ['preload', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.ts', 'scripts/buildStamp.ts']

/** The two parts of the build, each with its inputs (besides the shared ones) and the outputs it must leave. */
export const buildParts = {
  main: { inputs: ['main'], outputs: ['dist/cli.js', 'dist/electron.js', 'dist/preload.cjs'] },
  renderer: { inputs: ['renderer'], outputs: ['dist/renderer/index.html'] },
} as const
export type BuildPart = keyof typeof buildParts

export function stampFile(root: string, part: BuildPart): string {
  return join(root, 'dist', `.build-${part}`)
}

export function partFingerprint(root: string, part: BuildPart): string {
  return fingerprint(root, [...buildParts[part].inputs, ...shared])
}

/** True when the part's stamp matches its inputs and its outputs exist. */
export function partIsCurrent(root: string, part: BuildPart, print = partFingerprint(root, part)): boolean {
  return isCurrent(stampFile(root, part), print, buildParts[part].outputs.map((o) => join(root, o)))
}

export function fingerprint(root: string, inputs: string[]): string {
  const hash = createHash('sha256')
  const visit = (rel: string) => {
    const abs = join(root, rel)
    if (!existsSync(abs)) return void hash.update(`${rel}:missing\n`)
    const st = statSync(abs)
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) if (name !== 'node_modules') visit(join(rel, name))
    } else hash.update(`${rel}:${st.size}:${st.mtimeMs}\n`)
  }
  for (const input of inputs) visit(input)
  return hash.digest('hex')
}

/** True when the stamp matches and every output still exists. */
export function isCurrent(stampFile: string, print: string, outputs: string[]): boolean {
  if (!existsSync(stampFile) || !outputs.every((o) => existsSync(o))) return false
  return readFileSync(stampFile, 'utf8').trim() === print
}

export function writeStamp(stampFile: string, print: string): void {
  writeFileSync(stampFile, print + '\n')
}
