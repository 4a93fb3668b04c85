/**
 * Conditional-routing queries in Portkey's syntax
 * (https://portkey.ai/docs/product/ai-gateway/conditional-routing), compiled once into a predicate.
 * Keys are `params.<field>` (the request body) or `metadata.<key>` (request metadata); a plain value
 * means `$eq`; an object holds operators `$eq $ne $in $nin $gt $gte $lt $lte $regex` (and Portkey's
 * `$length` on arrays), all of which must hold; `$and` / `$or` take arrays of queries. Every key of a
 * query must hold. Comparisons follow Portkey's gateway: equality and `$in` are strict (`===`),
 * `$gt`… compare numbers parsed from either side, `$regex` is compiled here once, not per request.
 * Problems are appended to `errors` with their path; the predicate of a bad query never matches.
 */
import { joinPath } from './joinPath.ts'

export type QueryContext = {
  readonly params: Readonly<Record<string, unknown>>
  readonly metadata: Readonly<Record<string, string>>
}
export type QueryTest = (ctx: QueryContext) => boolean
export type PathError = { path: string; message: string }

type ValueTest = (value: unknown) => boolean

const never: QueryTest = () => false
const always: QueryTest = () => true

export function compileQuery(query: unknown, path: string, errors: PathError[]): QueryTest {
  if (!isPlainObject(query)) {
    errors.push({ path, message: 'a query is an object, e.g. { "metadata.user_plan": { "$eq": "paid" } }' })
    return never
  }
  const before = errors.length
  const tests: QueryTest[] = []
  for (const [key, value] of Object.entries(query)) {
    const at = joinPath(path, key)
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        errors.push({ path: at, message: `${key} takes a non-empty array of queries` })
        continue
      }
      const parts = value.map((q, i) => compileQuery(q, joinPath(at, i), errors))
      tests.push(key === '$and' ? (ctx) => parts.every((t) => t(ctx)) : (ctx) => parts.some((t) => t(ctx)))
      continue
    }
    if (key.startsWith('$')) {
      errors.push({ path: at, message: `unknown logical operator ${key}: use $and or $or, or a field like params.model` })
      continue
    }
    const get = fieldGetter(key, at, errors)
    const check = compileValue(value, at, errors)
    if (get && check) tests.push((ctx) => check(get(ctx)))
  }
  if (errors.length > before) return never
  if (tests.length === 0) return always
  if (tests.length === 1) return tests[0] as QueryTest
  return (ctx) => {
    for (const t of tests) if (!t(ctx)) return false
    return true
  }
}

function fieldGetter(key: string, at: string, errors: PathError[]): ((ctx: QueryContext) => unknown) | null {
  const dot = key.indexOf('.')
  const root = dot < 0 ? key : key.slice(0, dot)
  const rest = dot < 0 ? [] : key.slice(dot + 1).split('.')
  if ((root !== 'params' && root !== 'metadata') || rest.length === 0 || rest.some((s) => s === '')) {
    errors.push({ path: at, message: `a query field is params.<name> or metadata.<key> (got "${key}")` })
    return null
  }
  const [first, ...deeper] = rest as [string, ...string[]]
  if (root === 'metadata') {
    if (deeper.length) {
      errors.push({ path: at, message: 'metadata values are strings: use metadata.<key> with no further dots' })
      return null
    }
    return (ctx) => (Object.hasOwn(ctx.metadata, first) ? ctx.metadata[first] : undefined)
  }
  if (!deeper.length) return (ctx) => (Object.hasOwn(ctx.params, first) ? ctx.params[first] : undefined)
  return (ctx) => {
    let v: unknown = Object.hasOwn(ctx.params, first) ? ctx.params[first] : undefined
    for (const k of deeper) v = isPlainObject(v) && Object.hasOwn(v, k) ? v[k] : undefined
    return v
  }
}

function compileValue(value: unknown, at: string, errors: PathError[]): ValueTest | null {
  if (isScalar(value)) return (v) => v === value
  if (!isPlainObject(value)) {
    errors.push({ path: at, message: 'expected a string, number, boolean or an object of operators ($eq, $in, …); to match one of several values use $in' })
    return null
  }
  const before = errors.length
  const tests: ValueTest[] = []
  for (const [op, arg] of Object.entries(value)) {
    const t = compileOperator(op, arg, joinPath(at, op), errors)
    if (t) tests.push(t)
  }
  if (errors.length > before) return null
  if (tests.length === 0) {
    errors.push({ path: at, message: 'an operator object needs at least one operator' })
    return null
  }
  if (tests.length === 1) return tests[0] as ValueTest
  return (v) => {
    for (const t of tests) if (!t(v)) return false
    return true
  }
}

function compileOperator(op: string, arg: unknown, at: string, errors: PathError[]): ValueTest | null {
  switch (op) {
    case '$eq':
    case '$ne':
      if (!isScalar(arg) && arg !== null) return bad(errors, at, `${op} takes a string, number, boolean or null`)
      return op === '$eq' ? (v) => v === arg : (v) => v !== arg
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const n = toNumber(arg)
      if (Number.isNaN(n)) return bad(errors, at, `${op} takes a number`)
      if (op === '$gt') return (v) => toNumber(v) > n
      if (op === '$gte') return (v) => toNumber(v) >= n
      if (op === '$lt') return (v) => toNumber(v) < n
      return (v) => toNumber(v) <= n
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(arg) || !arg.every((x) => isScalar(x) || x === null)) return bad(errors, at, `${op} takes an array of strings, numbers or booleans`)
      const set = new Set<unknown>(arg)
      return op === '$in' ? (v) => set.has(v) : (v) => !set.has(v)
    }
    case '$regex': {
      if (typeof arg !== 'string') return bad(errors, at, '$regex takes a string (a JavaScript regular expression)')
      let re: RegExp
      try {
        re = new RegExp(arg)
      } catch (err) {
        return bad(errors, at, `invalid regular expression: ${(err as Error).message}`)
      }
      return (v) => (typeof v === 'string' || typeof v === 'number') && re.test(String(v))
    }
    case '$length': {
      if (typeof arg === 'number') return (v) => Array.isArray(v) && v.length === arg
      const inner = compileValue(arg, at, errors)
      return inner ? (v) => Array.isArray(v) && inner(v.length) : null
    }
    default:
      return bad(errors, at, `unknown operator ${op}: use $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $regex`)
  }
}

function bad(errors: PathError[], path: string, message: string): null {
  errors.push({ path, message })
  return null
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string') return parseFloat(v)
  return NaN
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
