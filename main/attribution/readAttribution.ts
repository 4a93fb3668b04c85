/**
 * Which project and branch a coding agent's call is for, read from the places those agents put it and
 * nowhere else (no scan of the whole prompt):
 *   - Claude Code: its environment block (` - Primary working directory: /path`, in the first user
 *     message's system-reminder since 2.x, in the system prompt's `<env>` as `Working directory:`
 *     before) and its git status (`Current branch: name`, inside a repository).
 *   - Codex: `<cwd>/path</cwd>` in the `<environment_context>` of an early user input item.
 * The project is the folder's name; only these two short values are kept, never the rest of the prompt.
 */
import { firstItems } from '../gateway/lazyBody.ts'

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

function fromClaudeCode(body: Record<string, unknown>): Attribution {
  const first = firstItems(body, 'messages', 1)?.[0] as { role?: unknown; content?: unknown } | undefined
  const places = [...(first?.role === 'user' ? texts(first.content) : []), ...texts(body.system)]
  let cwd: string | undefined
  let branch: string | undefined
  for (const t of places) {
    cwd ??= lineAfter(t, 'Primary working directory: ') ?? lineAfter(t, 'Working directory: ')
    branch ??= lineAfter(t, '\nCurrent branch: ')
    if (cwd && branch) break
  }
  return { ...(cwd ? { project: folderName(cwd) } : {}), ...(branch ? { branch } : {}) }
}

/** Codex sends its environment context among the first few input items. */
const CODEX_ITEMS = 6

function fromCodex(body: Record<string, unknown>): Attribution {
  for (const item of (firstItems(body, 'input', CODEX_ITEMS) ?? []) as Array<{ role?: unknown; content?: unknown }>) {
    if (item?.role !== 'user') continue
    for (const t of texts(item.content)) {
      if (!t.startsWith('<environment_context>')) continue
      const open = t.indexOf('<cwd>')
      const close = t.indexOf('</cwd>', open)
      if (open < 0 || close < 0 || close - open > MAX_VALUE) return {}
      const project = folderName(t.slice(open + 5, close).trim())
      return project ? { project } : {}
    }
  }
  return {}
}

export function readAttribution(endpoint: string, body: Record<string, unknown>): Attribution {
  if (endpoint === 'messages') return fromClaudeCode(body)
  if (endpoint === 'responses') return fromCodex(body)
  return {}
}
