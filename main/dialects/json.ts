/**
 * Readers for untrusted JSON bodies: narrow `unknown` in one place instead of casts in every converter.
 * Pure.
 */

export type JsonObject = Record<string, unknown>

export function isObject(x: unknown): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x)
}

export function isString(x: unknown): x is string {
  return typeof x === 'string'
}

export function asString(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined
}

export function asNumber(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined
}

export function asBoolean(x: unknown): boolean | undefined {
  return typeof x === 'boolean' ? x : undefined
}

export function asArray(x: unknown): unknown[] {
  return Array.isArray(x) ? x : []
}

/** `undefined` when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The fields of `o` not in `known`, or undefined when there are none. */
export function unknownFields(o: JsonObject, known: ReadonlySet<string>): JsonObject | undefined {
  let rest: JsonObject | undefined
  for (const key in o) {
    if (known.has(key) || o[key] === undefined) continue
    rest ??= {}
    rest[key] = o[key]
  }
  return rest
}

/**
 * `o`'s defined fields in a new object: optional fields are set in one literal instead of one `if` each.
 * Copied, not deleted in place: a `delete` turns the object into a slow dictionary for V8, and every
 * later read, spread and JSON.stringify of it (a translated request is all three) paid for that.
 */
export function defined<T extends object>(o: T): T {
  const out = {} as T
  for (const key in o) if (o[key] !== undefined) out[key] = o[key]
  return out
}
