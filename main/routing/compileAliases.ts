/**
 * Model aliases: map what a client asks for (exact, or a pattern with `*`, e.g. `claude-haiku-*`) to
 * an `@slug/model` target, so Claude Code's tiers can run on any provider. A target ending in `/*`
 * keeps the requested name (`claude-* → @bedrock/*`). Pure.
 */
import type { ModelAlias } from '../../preload/contract.ts'

export type CompiledAlias = { pattern: string; match: (model: string) => boolean; target: string }

export function compileAliases(aliases: readonly ModelAlias[]): CompiledAlias[] {
  return aliases.map((a) => {
    if (!a.pattern.includes('*')) return { pattern: a.pattern, target: a.target, match: (m) => m === a.pattern }
    const re = new RegExp(`^${a.pattern.split('*').map(escape).join('.*')}$`)
    return { pattern: a.pattern, target: a.target, match: (m) => re.test(m) }
  })
}

/** The first alias that matches, in order; its target with `/*` expanded. */
export function applyAliases(model: string, aliases: readonly CompiledAlias[] | undefined): string | null {
  if (!aliases) return null
  for (const a of aliases) {
    if (!a.match(model)) continue
    return a.target.endsWith('/*') ? a.target.slice(0, -1) + model : a.target
  }
  return null
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}
