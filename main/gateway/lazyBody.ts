/**
 * A large request body as an object whose large array and object members are parsed on first read.
 * Claude Code sends ~30–100 KB of tool schemas with every call; a passthrough call forwards the
 * caller's own bytes (wireBody.ts) and no stage reads `tools`, so parsing them, and collecting what
 * that parse built, was most of the gateway's CPU for such a request. Every member is still there:
 * reading one (a translation, guardrails, a re-serialisation, spread, JSON.stringify) parses it then,
 * once, and a member that is not valid JSON refuses the call at that point with `invalid_json`. A
 * member nobody reads is forwarded as the caller sent it, checked only for balanced brackets and
 * quotes (the scan), and judged by the provider, as it would be through any proxy.
 *
 * The getters are one pair per member name, shared by every body, reading the body's own cells (a
 * hidden slot, hiddenSlot.ts): a getter made per body would give each body its own hidden class, which
 * V8 allocates in the old generation, and measured, that churn cost more in major GCs than the parse saved.
 */
import { GatewayError } from './GatewayError.ts'
import { hiddenSlot } from './hiddenSlot.ts'
import { arrayItems, parseJsonBytes, type KnownEnd, type Member } from './jsonBytes.ts'

/** Bodies below this size are parsed whole: one JSON.parse beats a parse per member. */
export const LAZY_BODY_BYTES = 16 * 1024
/** Array and object members at least this large wait for their first read. */
const LAZY_MEMBER_BYTES = 2 * 1024

/** One deferred member's bytes and, once read, its value; shared by a body and its copies (as spread shares values). */
type Cell = { bytes: Buffer; array: boolean; parsed: boolean; value: unknown }
/** A body's deferred members by name; a copy gets its own record (assignments stay its own) of the same cells. */
type Cells = Record<string, Cell>

/** A body's cells, hidden from everything that copies or serialises it. */
const CELLS = hiddenSlot<Cells>()
/**
 * The prototype of every Cells record: it has no properties, so no member name finds Object.prototype's,
 * and records made from it stay in V8's fast mode (`Object.create(null)` makes a dictionary: copying
 * one cost ~850 ns against ~60, measured).
 */
const NO_NAMES = Object.create(null) as object
const newCells = (): Cells => Object.create(NO_NAMES) as Cells
const accessors = new Map<string, PropertyDescriptor>()

/** The body, or null when it has no member worth deferring, or a member name that only a whole parse gets right. */
export function lazyBody(bytes: Buffer, members: readonly Member[]): Record<string, unknown> | null {
  if (!members.some((m) => deferrable(bytes, m))) return null
  const body: Record<string, unknown> = {}
  const cells = newCells()
  CELLS.set(body, cells)
  // The small members, as `{"k": v, …}` text parsed once below: one JSON.parse costs less than one each.
  // Latin-1 text, one character per byte, so that bytes past ASCII are found and decoded as UTF-8 below.
  let small = ''
  for (const m of members) {
    const key = keyOf(bytes, m.key.start, m.key.end)
    // `__proto__` is an own property only JSON.parse makes; a duplicate name keeps its first place with its last value there. Both are parsed whole.
    if (key === '__proto__' || Object.hasOwn(body, key)) return null
    if (deferrable(bytes, m)) {
      cells[key] = { bytes: bytes.subarray(m.start, m.end), array: bytes[m.start] === 0x5b, parsed: false, value: undefined }
      Object.defineProperty(body, key, accessorFor(key))
    } else {
      body[key] = undefined // its place in the order; its value below
      small += `${small ? ',' : '{'}${bytes.toString('latin1', m.key.start, m.end)}`
    }
  }
  if (small) {
    small += '}'
    let values: Record<string, unknown>
    try {
      values = (PAST_ASCII.test(small) ? parseJsonBytes(Buffer.from(small, 'latin1')) : JSON.parse(small)) as Record<string, unknown>
    } catch {
      // One of them is not JSON: parsed one by one, the error names it.
      for (const m of members) if (!deferrable(bytes, m)) parseMember(bytes.subarray(m.start, m.end), keyOf(bytes, m.key.start, m.key.end))
      throw new GatewayError('invalid_json', 'request body is not valid JSON')
    }
    for (const key in values) body[key] = values[key]
  }
  return body
}

const PAST_ASCII = /[\u0080-\u00ff]/

/**
 * Plain member names seen before, internalized: an agent sends the same ten on every call, and a
 * name fresh from the bytes costs a string-table lookup at each use as a property key (measured:
 * most of what building a large body's object cost).
 */
const knownKeys: string[] = []
const MAX_KNOWN_KEYS = 64

/** The key string `[start, end)` (quotes included) decodes to: its bytes when they are plain ASCII without escapes, as keys almost always are. */
function keyOf(bytes: Buffer, start: number, end: number): string {
  const n = end - start - 2
  search: for (const k of knownKeys) {
    if (k.length !== n) continue
    for (let j = 0; j < n; j++) if (k.charCodeAt(j) !== bytes[start + 1 + j]) continue search
    return k
  }
  for (let i = start + 1; i < end - 1; i++) {
    const c = bytes[i] as number
    if (c === 0x5c || c >= 0x80) return parseJsonBytes(bytes.subarray(start, end)) as string
  }
  const key = bytes.toString('latin1', start + 1, end - 1)
  if (knownKeys.length >= MAX_KNOWN_KEYS) return key
  // A property key of an object literal is the internalized string.
  const interned = Object.keys({ [key]: 0 })[0] as string
  knownKeys.push(interned)
  return interned
}

/** A large array or object (a large string costs one copy to parse: nothing to save). */
function deferrable(bytes: Buffer, m: Member): boolean {
  return m.end - m.start >= LAZY_MEMBER_BYTES && (bytes[m.start] === 0x5b || bytes[m.start] === 0x7b)
}

/** Whether `key` of `body` is a member not parsed yet whose value is an array (true), another value (false), or not deferred (null). */
export function deferredArray(body: object, key: string): boolean | null {
  const cell = CELLS.get(body)?.[key]
  return cell && !cell.parsed ? cell.array : null
}

/**
 * The first `n` elements of the array member `key` (undefined when it is not an array). From a deferred
 * member, only those elements are parsed: attribution reads the first messages of an agent's
 * conversation, whose history grows to hundreds of KB over a session.
 */
export function firstItems(body: Record<string, unknown>, key: string, n: number): unknown[] | undefined {
  const raw = firstItemBytes(body, key, n)
  if (raw) return raw.map((b) => parseMember(b, key))
  const value = body[key]
  return Array.isArray(value) ? value.slice(0, n) : undefined
}

/** The bytes of the first `n` elements of the array member `key` while it is deferred and not parsed yet; null otherwise (read the value then). */
export function firstItemBytes(body: Record<string, unknown>, key: string, n: number, knownEnd?: KnownEnd): Buffer[] | null {
  const cell = CELLS.get(body)?.[key]
  if (!cell || cell.parsed || !cell.array || !(key in body)) return null
  const ranges = arrayItems(cell.bytes, n, knownEnd)
  return ranges && ranges.map((r) => cell.bytes.subarray(r.start, r.end))
}

/** The bytes of member `key` while it is deferred and not parsed yet; null otherwise. */
export function deferredBytes(body: Record<string, unknown>, key: string): Buffer | null {
  const cell = CELLS.get(body)?.[key]
  return cell && !cell.parsed && key in body ? cell.bytes : null
}

/** An element's or member's bytes parsed; not JSON: `invalid_json`, naming the member. */
export function parseMember(bytes: Buffer, key: string): unknown {
  try {
    return parseJsonBytes(bytes)
  } catch (err) {
    throw new GatewayError('invalid_json', `request body is not valid JSON: ${(err as Error).message} (in '${key}')`, { param: key })
  }
}

/** A shallow copy that leaves deferred members deferred (spread would parse them all). */
export function copyBody(body: Record<string, unknown>): Record<string, unknown> {
  const cells = CELLS.get(body)
  if (!cells) return { ...body }
  const copy: Record<string, unknown> = {}
  CELLS.set(copy, Object.assign(newCells(), cells))
  for (const key of Object.keys(body)) {
    // A deferred member stays one (its getter, the shared cell); a member deleted and set again is data.
    if (key in cells && Object.getOwnPropertyDescriptor(body, key)?.get) Object.defineProperty(copy, key, accessorFor(key))
    else copy[key] = body[key]
  }
  return copy
}

function accessorFor(key: string): PropertyDescriptor {
  let a = accessors.get(key)
  if (!a) {
    a = {
      configurable: true,
      enumerable: true,
      get(this: object) {
        const cell = (CELLS.get(this) as Cells)[key] as Cell
        if (!cell.parsed) {
          cell.value = parseMember(cell.bytes, key)
          cell.parsed = true
        }
        return cell.value
      },
      set(this: object, value: unknown) {
        ;(CELLS.get(this) as Cells)[key] = { bytes: Buffer.alloc(0), array: false, parsed: true, value }
      },
    }
    // Member names come from callers: keep the shared pairs few.
    if (accessors.size < 64) accessors.set(key, a)
  }
  return a
}
