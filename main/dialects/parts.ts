/** Small helpers over canonical parts shared by the dialect converters. Pure. */
import type { ImageSource, OutputPart, Part, TextPart, ThinkingConfig, ToolCallPart } from './canonical.ts'
import { namespaceSeparator } from './canonical.ts'

export function joinText(parts: readonly Part[], separator = '\n\n'): string {
  let s = ''
  let first = true
  for (const p of parts) {
    if (p.type !== 'text') continue
    s += first ? p.text : separator + p.text
    first = false
  }
  return s
}

export function textPart(text: string): TextPart {
  return { type: 'text', text }
}

/** A `data:` URL becomes inline base64; anything else stays a URL. */
export function imageSourceFromUrl(url: string): ImageSource {
  const m = /^data:([^;,]+);base64,/.exec(url)
  return m?.[1] ? { type: 'base64', mediaType: m[1], data: url.slice(m[0].length) } : { type: 'url', url }
}

export function imageSourceToUrl(source: ImageSource): string {
  return source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`
}

/** The tool name as dialects without namespaces see it. */
export function flatToolName(p: { name: string; namespace?: string }): string {
  return p.namespace ? p.namespace + namespaceSeparator + p.name : p.name
}

/** Tool call arguments as an object (Anthropic `input`); invalid or non-object JSON gives `{}`. */
export function parseArguments(args: string): Record<string, unknown> {
  if (!args.trim()) return {}
  try {
    const v: unknown = JSON.parse(args)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

export function hasToolCall(content: readonly OutputPart[]): boolean {
  return content.some((p) => p.type === 'tool_call')
}

export function toolCalls(content: readonly Part[]): ToolCallPart[] {
  return content.filter((p): p is ToolCallPart => p.type === 'tool_call')
}

/** The schema of a tool that takes no arguments (chat tools may omit `parameters`). */
export function emptySchema(): Record<string, unknown> {
  return { type: 'object', properties: {} }
}

/** Lowers `wanted` to the upstream's output limit when both are known. */
export function capTokens(wanted: number | undefined, cap: number | undefined): number | undefined {
  return wanted !== undefined && cap !== undefined ? Math.min(wanted, cap) : wanted
}

/** Effort for dialects that only take an effort word; budgets map to the nearest effort. */
export function effortOf(t: ThinkingConfig): 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | undefined {
  if (t.mode === 'disabled' || t.effort === 'none') return undefined
  if (t.effort) return t.effort === 'max' ? 'xhigh' : t.effort
  if (t.budgetTokens === undefined) return undefined
  return t.budgetTokens < 4096 ? 'low' : t.budgetTokens < 16384 ? 'medium' : 'high'
}
