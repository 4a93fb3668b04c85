/**
 * JSON with object keys sorted at every depth, so two equal requests serialise to the same bytes
 * whatever order their fields arrived in. Otherwise JSON.stringify's rules: `toJSON` is honoured,
 * undefined/function/symbol properties are dropped (null in arrays), non-finite numbers become null,
 * bigints and cycles throw. Array order is kept: it carries meaning (messages, tools).
 */

export function stableStringify(value: unknown): string {
  return write(value, new Set()) ?? 'null'
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON()
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      throw new TypeError('stableStringify: cannot serialise a bigint')
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
    default:
      break
  }
  if (value === null) return 'null'
  const obj = value as object
  if (seen.has(obj)) throw new TypeError('stableStringify: cyclic structure')
  seen.add(obj)
  let out: string
  if (Array.isArray(obj)) {
    out = `[${obj.map((v: unknown) => write(v, seen) ?? 'null').join(',')}]`
  } else {
    const rec = obj as Record<string, unknown>
    const parts: string[] = []
    for (const k of Object.keys(rec).sort()) {
      const v = write(rec[k], seen)
      if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`)
    }
    out = `{${parts.join(',')}}`
  }
  seen.delete(obj)
  return out
}
