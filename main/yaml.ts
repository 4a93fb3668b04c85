/**
 * The `yaml` package, loaded on first use: only setup files and Continue's config are YAML, and its
 * ~110 KB of code is not worth compiling at every start.
 */
import { createRequire } from 'node:module'
import type * as Yaml from 'yaml'

let loaded: typeof Yaml | undefined

export function yaml(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml)
}
