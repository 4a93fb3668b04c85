/**
 * `override_params` merging down the tree: the child's on top of the parent's. Scalars and arrays:
 * last write wins (arrays are replaced, not concatenated); plain objects (e.g. `metadata`) merge key
 * by key, recursively. Returns a new object and never mutates either side; a key like `__proto__`
 * stays an ordinary own property.
 */
import { isPlainObject } from './compileQuery.ts'

export function mergeOverrideParams(base: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(base)) put(out, k, v)
  if (!over) return out
  for (const [k, v] of Object.entries(over)) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined
    put(out, k, isPlainObject(v) && isPlainObject(prev) ? mergeOverrideParams(prev, v) : copy(v))
  }
  return out
}

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy)
  if (isPlainObject(v)) return mergeOverrideParams({}, v)
  return v
}

function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}
