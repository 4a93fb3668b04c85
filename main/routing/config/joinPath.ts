/**
 * Error paths as a user reads them in a config: `targets[1].strategy.on_status_codes[0]`, with
 * keys that are not plain identifiers quoted (`query["metadata.user_plan"].$eq`).
 */

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`
  if (!identifier.test(key)) return `${base}[${JSON.stringify(key)}]`
  return base ? `${base}.${key}` : key
}

export function formatPath(keys: readonly PropertyKey[]): string {
  let out = ''
  for (const k of keys) out = joinPath(out, typeof k === 'symbol' ? String(k) : k)
  return out
}
