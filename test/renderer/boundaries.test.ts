// The renderer's import boundaries (what lint's no-restricted-imports will enforce): no `main/`,
// no Node built-ins, only `import type` from the preload contract, and named exports only.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const rendererDir = join(root, 'renderer')
/** Tool configuration runs in Node and is not part of the window. */
const toolConfigs = new Set(['vite.config.ts'])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(entry.name) && !toolConfigs.has(relative(rendererDir, path)) ? [path] : []
  })
}

const importPattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm
const builtins = new Set(builtinModules)

test('renderer sources import neither main/ nor Node built-ins, and the contract only as types', () => {
  const files = sourceFiles(rendererDir)
  assert.ok(files.length > 10, 'renderer sources not found')
  const problems: string[] = []
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const rel = relative(root, file)
    for (const m of text.matchAll(importPattern)) {
      const typeOnly = m[2] !== undefined
      const spec = m[3] ?? m[4] ?? ''
      if (spec.startsWith('node:') || builtins.has(spec.split('/')[0] ?? '')) {
        problems.push(`${rel}: imports Node built-in '${spec}'`)
      }
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), spec))
        if (target.startsWith('main/') || target === 'main') problems.push(`${rel}: imports '${spec}' from main/`)
        if (target.startsWith('preload/') && !typeOnly) problems.push(`${rel}: value import '${spec}' from preload/`)
      }
    }
    if (/^\s*export\s+default\b/m.test(text)) problems.push(`${rel}: default export`)
  }
  assert.deepEqual(problems, [])
})
