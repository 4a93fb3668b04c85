/**
 * Which project and branch a coding agent's call is for, read from the places those agents put it and
 * nowhere else (no scan of the whole prompt):
 *   - Claude Code: its environment block (` - Primary working directory: /path`, in the first user
 *     message's system-reminder since 2.x, in the system prompt's `<env>` as `Working directory:`
 *     before) and its git status (`Current branch: name`, inside a repository).
 *   - Codex: `<cwd>/path</cwd>` in the `<environment_context>` of an early user input item.
 * The project is the folder's name; only these two short values are kept, never the rest of the prompt.
 */
import type { KnownEnd } from '../gateway/jsonBytes.ts'
import { deferredBytes, firstItemBytes, firstItems, parseMember } from '../gateway/lazyBody.ts'

export type Attribution = { project?: string; branch?: string }

const MAX_VALUE = 200

/** The rest of the line after `marker`, trimmed, or undefined. */
function lineAfter(text: string, marker: string): string | undefined {
  const at = text.indexOf(marker)
  if (at < 0) return undefined
  const start = at + marker.length
  const end = text.indexOf('\n', start)
  const value = text.slice(start, end < 0 ? undefined : end).trim()
  return value && value.length <= MAX_VALUE ? value : undefined
}

/** `/home/dev/my-app/` → `my-app` (POSIX and Windows separators). */
export function folderName(path: string): string | undefined {
  const parts = path.replace(/[\\/]+$/, '').split(/[\\/]/)
  return parts.at(-1) || undefined
}

function texts(content: unknown): string[] {
  if (typeof content === 'string') return [content]
  if (!Array.isArray(content)) return []
  const out: string[] = []
  for (const part of content) {
    const t = (part as { text?: unknown } | null)?.text
    if (typeof t === 'string') out.push(t)
  }
  return out
}

type Found = { cwd?: string; branch?: string }

function scanTexts(ts: readonly string[], found: Found): Found {
  for (const t of ts) {
    found.cwd ??= lineAfter(t, 'Primary working directory: ') ?? lineAfter(t, 'Working directory: ')
    found.branch ??= lineAfter(t, '\nCurrent branch: ')
    if (found.cwd && found.branch) break
  }
  return found
}

/** Claude Code's first messages that carry its environment: the first (a user message) and `system` entries (2.1.x puts the environment in one). */
const CLAUDE_ITEMS = 3
/** In the bytes of every message that holds what fromClaudeCode reads ("Primary working directory: ", "Working directory: "). */
const CLAUDE_MARKERS = [Buffer.from('orking directory: '), Buffer.from('Current branch: ')]

function claudeItem(item: unknown, index: number): Found {
  const m = item as { role?: unknown; content?: unknown } | null
  if (!((m?.role === 'user' && index === 0) || m?.role === 'system')) return {}
  return scanTexts(texts(m.content), {})
}

function fromClaudeCode(body: Record<string, unknown>): Attribution {
  const found: Found = {}
  for (const f of leadingItems(body, 'messages', CLAUDE_ITEMS, CLAUDE_MARKERS, claudeItem, claudeSeen)) {
    found.cwd ??= f.cwd
    found.branch ??= f.branch
  }
  // Before 2.x the system prompt's <env> held both; since then it holds neither, so it is read only when the messages had no directory.
  const system = deferredBytes(body, 'system')
  if (!found.cwd && (!system || CLAUDE_MARKERS.some((m) => system.includes(m)))) scanTexts(texts(body.system), found)
  const { cwd, branch } = found
  return { ...(cwd ? { project: folderName(cwd) } : {}), ...(branch ? { branch } : {}) }
}

/**
 * `read(item, index)` of each of the first `n` elements of the array member `key`. An element still
 * in the caller's bytes (a large body's deferred member) is parsed only when those bytes hold one of
 * `markers` (otherwise there is nothing to find in it), and what was read is remembered by the bytes:
 * an agent sends the same first messages on every call of a session.
 */
function leadingItems<T extends object>(body: Record<string, unknown>, key: string, n: number, markers: readonly Buffer[], read: (item: unknown, index: number) => T, seen: BytesMemo<T>): T[] {
  seen.startWalk()
  const raw = firstItemBytes(body, key, n, seen.knownEnd)
  if (!raw) return (firstItems(body, key, n) ?? []).map(read)
  const out: T[] = []
  raw.forEach((bytes, index) => {
    let found = seen.get(bytes, index)
    if (found === undefined) {
      // Without a marker there is nothing to find: remembered as nothing, not parsed.
      found = markers.some((m) => bytes.includes(m)) ? read(parseMember(bytes, key), index) : null
      seen.set(bytes, index, found)
    }
    if (found) out.push(found)
  })
  return out
}

/**
 * What was read from an element (null: nothing to read), remembered by the bytes and position it
 * was read from; a few, each small. The walk to the first elements steps over one remembered at
 * its position with one memcmp instead of scanning it (knownEnd).
 */
class BytesMemo<T> {
  private entries: Array<{ bytes: Buffer; index: number; value: T | null }> = []
  /** By element index, the entries this walk stepped over: their bytes were just compared, not again in `get`. */
  private stepped: Array<{ value: T | null } | undefined> = []
  startWalk(): void {
    this.stepped.length = 0
  }
  get(bytes: Buffer, index: number): T | null | undefined {
    const s = this.stepped[index]
    if (s) return s.value
    for (const e of this.entries) if (e.index === index && e.bytes.length === bytes.length && e.bytes.equals(bytes)) return e.value
    return undefined
  }
  set(bytes: Buffer, index: number, value: T | null): void {
    if (bytes.length > MAX_REMEMBERED_BYTES) return
    if (this.entries.length >= MAX_REMEMBERED) this.entries.shift()
    this.entries.push({ bytes: Buffer.from(bytes), index, value })
  }
  readonly knownEnd: KnownEnd = (bytes, i, index) => {
    for (const e of this.entries) {
      const end = i + e.bytes.length
      if (e.index === index && end <= bytes.length && bytes[end - 1] === e.bytes[e.bytes.length - 1] && bytes.compare(e.bytes, 0, e.bytes.length, i, end) === 0) {
        this.stepped[index] = e
        return end
      }
    }
    return -1
  }
}
const MAX_REMEMBERED = 8
const MAX_REMEMBERED_BYTES = 64 * 1024
const claudeSeen = new BytesMemo<Found>()
const codexSeen = new BytesMemo<Attribution & { env?: true }>()

/** Codex sends its environment context among the first few input items. */
const CODEX_ITEMS = 6
const CODEX_MARKERS = [Buffer.from('<environment_context>')]

/** One input item: `{ env: true, project }` from a user item's environment context (the first one decides), else `{}`. */
function codexItem(item: unknown): Attribution & { env?: true } {
  const m = item as { role?: unknown; content?: unknown } | null
  if (m?.role !== 'user') return {}
  for (const t of texts(m.content)) {
    if (!t.startsWith('<environment_context>')) continue
    const open = t.indexOf('<cwd>')
    const close = t.indexOf('</cwd>', open)
    if (open < 0 || close < 0 || close - open > MAX_VALUE) return { env: true }
    const project = folderName(t.slice(open + 5, close).trim())
    return project ? { env: true, project } : { env: true }
  }
  return {}
}

function fromCodex(body: Record<string, unknown>): Attribution {
  const env = leadingItems(body, 'input', CODEX_ITEMS, CODEX_MARKERS, codexItem, codexSeen).find((f) => f.env)
  return env?.project ? { project: env.project } : {}
}

export function readAttribution(endpoint: string, body: Record<string, unknown>): Attribution {
  if (endpoint === 'messages') return fromClaudeCode(body)
  if (endpoint === 'responses') return fromCodex(body)
  return {}
}
