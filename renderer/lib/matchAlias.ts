/**
 * Which alias a model name hits, in order: an exact pattern or a `*` wildcard (`claude-haiku-*`).
 * A `@slug/*` target keeps the requested name. Mirrors the gateway's order (first match wins).
 */
import type { ModelAlias } from '../../preload/contract.ts'

export function matchAlias(aliases: ModelAlias[], model: string): { index: number; target: string } | null {
  for (let index = 0; index < aliases.length; index++) {
    const a = aliases[index] as ModelAlias
    const re = new RegExp(`^${a.pattern.split('*').map(escape).join('.*')}$`)
    if (!re.test(model)) continue
    return { index, target: a.target.endsWith('/*') ? `${a.target.slice(0, -1)}${model}` : a.target }
  }
  return null
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

/** Moves item `from` to position `to` (drag or the up/down buttons). */
export function moveItem<T>(items: T[], from: number, to: number): T[] {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return items
  const next = [...items]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item as T)
  return next
}
