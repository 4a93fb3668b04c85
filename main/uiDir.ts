/**
 * Where the built web UI is: `dist/renderer` at the package root. The root is found by walking up
 * from the calling module, because that module runs from `main/` in development and from
 * `dist/` or `dist/chunks/` once bundled (a fixed `..` breaks whenever the bundle layout moves).
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function findUiDir(moduleUrl: string): string | null {
  let dir = dirname(fileURLToPath(moduleUrl))
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const ui = join(dir, 'dist', 'renderer')
      return existsSync(join(ui, 'index.html')) ? ui : null
    }
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}
