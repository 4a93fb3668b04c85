/**
 * The text of a request or response body that guardrails look at: every text an LLM reads, found by
 * where it sits in each dialect's schema (not by key names), without converting the body: message
 * text and names, the system prompt, tool-call names and arguments (every string of a `tool_use`
 * input, whatever its field is called), tool results, documents given as plain text, a chat
 * `prediction`, and tool definitions (names, descriptions, every string of their schemas). Images,
 * audio, files, base64 sources and encrypted reasoning are not text and are not visited. Rewriting is
 * copy-on-write: only the strings that change and the objects holding them are copied, so every other
 * field of the body is kept exactly as it came.
 */
import type { Endpoint } from '../providers/provider.ts'

export type Where = 'system' | 'message' | 'tool_call' | 'tool_result' | 'tool_definition' | 'response'

type Walk = (v: unknown, where: Where, visit: Visit) => unknown
type Root = { key: string; where: Where; walk: Walk }

export type Visit = (text: string, where: Where) => string | undefined

export function hasRequestText(endpoint: Endpoint): boolean {
  return requestRoots[endpoint] !== undefined
}

export function hasResponseText(endpoint: Endpoint): boolean {
  return responseRoots[endpoint] !== undefined
}

/** Calls `visit` for each content string, in a fixed order; returns the body with the strings it replaced. */
export function mapRequestText(body: Record<string, unknown>, endpoint: Endpoint, visit: Visit): Record<string, unknown> {
  return mapRoots(body, requestRoots[endpoint] ?? [], visit)
}

export function mapResponseText(body: Record<string, unknown>, endpoint: Endpoint, visit: Visit): Record<string, unknown> {
  return mapRoots(body, responseRoots[endpoint] ?? [], visit)
}

function mapRoots(body: Record<string, unknown>, roots: Root[], visit: Visit): Record<string, unknown> {
  let out = body
  for (const root of roots) {
    const v = body[root.key]
    if (v === undefined) continue
    const next = root.walk(v, root.where, visit)
    if (next !== v) {
      if (out === body) out = { ...body }
      out[root.key] = next
    }
  }
  return out
}

// --- copy-on-write helpers -------------------------------------------------------------------------

function str(v: unknown, where: Where, visit: Visit): unknown {
  if (typeof v !== 'string') return v
  const r = visit(v, where)
  return r === undefined ? v : r
}

function each(v: unknown, where: Where, visit: Visit, fn: Walk): unknown {
  if (!Array.isArray(v)) return fn(v, where, visit)
  let out: unknown[] | null = null
  for (let i = 0; i < v.length; i++) {
    const next = fn(v[i], where, visit)
    if (next !== v[i]) (out ??= v.slice())[i] = next
  }
  return out ?? v
}

/** Applies `fns` to the named fields of an object; copies it only if one of them changed. */
function fields(obj: Record<string, unknown>, where: Where, visit: Visit, fns: Record<string, Walk>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null
  for (const key in fns) {
    const child = obj[key]
    if (child === undefined || child === null) continue
    const next = (fns[key] as Walk)(child, where, visit)
    if (next !== child) (out ??= { ...obj })[key] = next
  }
  return out ?? obj
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Every string at any depth: tool inputs and arguments objects, tool schemas, unknown blocks. */
function anyText(v: unknown, where: Where, visit: Visit): unknown {
  if (typeof v === 'string') return str(v, where, visit)
  if (Array.isArray(v)) return each(v, where, visit, anyText)
  if (!isObj(v)) return v
  let out: Record<string, unknown> | null = null
  for (const key in v) {
    const child = v[key]
    if (child === null || typeof child === 'number' || typeof child === 'boolean') continue
    const next = anyText(child, where, visit)
    if (next !== child) (out ??= { ...v })[key] = next
  }
  return out ?? v
}

// --- the schemas ------------------------------------------------------------------------------------

/** Content: a string, or a list of parts/blocks (OpenAI chat parts, Anthropic blocks, Responses parts). */
function content(v: unknown, where: Where, visit: Visit): unknown {
  if (typeof v === 'string') return str(v, where, visit)
  return each(v, where, visit, part)
}

/** Kinds that carry no text: binary, references, encrypted reasoning. */
const opaque = new Set(['image_url', 'input_image', 'image', 'input_audio', 'input_file', 'file', 'redacted_thinking', 'container_upload'])

function part(p: unknown, where: Where, visit: Visit): unknown {
  if (typeof p === 'string') return str(p, where, visit)
  if (!isObj(p)) return p
  const type = typeof p.type === 'string' ? p.type : ''
  if (type === '' && 'role' in p) return message(p, where, visit)
  if (opaque.has(type)) return p
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return fields(p, where, visit, { text: str })
    case 'refusal':
      return fields(p, where, visit, { refusal: str })
    case 'thinking':
      return fields(p, where, visit, { thinking: str })
    case 'document':
      return fields(p, where, visit, { source: documentSource, title: str, context: str })
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      return fields(p, 'tool_call', visit, { name: str, input: anyText })
    case 'function_call':
    case 'custom_tool_call':
    case 'mcp_call':
    case 'local_shell_call':
      return fields(p, 'tool_call', visit, { name: str, arguments: str, input: str, action: anyText })
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'local_shell_call_output':
      return fields(p, 'tool_result', visit, { output: content })
    case 'reasoning':
      return fields(p, where, visit, { summary: content, content })
    case 'message':
      return message(p, where, visit)
    default:
      // Tool results (`tool_result`, `web_search_tool_result`…) hold content; anything else unknown is read whole.
      if (type.endsWith('tool_result')) return fields(p, 'tool_result', visit, { content })
      return anyText(p, where, visit)
  }
}

/** Anthropic document sources: plain text and nested content are text; base64, URLs and files are not. */
function documentSource(v: unknown, where: Where, visit: Visit): unknown {
  if (!isObj(v)) return v
  if (v.type === 'text') return fields(v, where, visit, { data: str })
  if (v.type === 'content') return fields(v, where, visit, { content })
  return v
}

/** A chat, Anthropic or Responses message: its content, its name, the tool calls it makes. */
function message(m: unknown, where: Where, visit: Visit): unknown {
  if (!isObj(m)) return content(m, where, visit)
  if (typeof m.type === 'string' && m.type !== 'message') return part(m, where, visit)
  let here = where
  if (m.role === 'tool' || m.role === 'function') here = 'tool_result'
  else if ((m.role === 'system' || m.role === 'developer') && here === 'message') here = 'system'
  const out = fields(m, here, visit, { content, name: str, refusal: str, reasoning_content: str })
  return fields(out, 'tool_call', visit, { tool_calls: (v, w, f) => each(v, w, f, toolCall), function_call: toolCall })
}

function toolCall(v: unknown, where: Where, visit: Visit): unknown {
  if (!isObj(v)) return v
  return fields(v, where, visit, { function: (f, w, vis) => (isObj(f) ? fields(f, w, vis, { name: str, arguments: str }) : f), name: str, arguments: str })
}

const messages: Walk = (v, where, visit) => each(v, where, visit, message)
const tools: Walk = (v, where, visit) => each(v, where, visit, anyText)
/** Chat `prediction`: `{type: 'content', content}`, text the model is told to expect. */
const prediction: Walk = (v, where, visit) => (isObj(v) ? fields(v, where, visit, { content }) : v)
/** Completions and embeddings inputs: strings, lists of strings (token arrays are numbers, not visited). */
const texts: Walk = (v, where, visit) => (typeof v === 'string' ? str(v, where, visit) : each(v, where, visit, (x, w, f) => (typeof x === 'string' ? str(x, w, f) : x)))

/** Where the content of a request is, per endpoint. */
const requestRoots: Partial<Record<Endpoint, Root[]>> = {
  chat: [
    { key: 'messages', where: 'message', walk: messages },
    { key: 'prediction', where: 'message', walk: prediction },
    { key: 'tools', where: 'tool_definition', walk: tools },
    { key: 'functions', where: 'tool_definition', walk: tools },
  ],
  messages: [
    { key: 'system', where: 'system', walk: content },
    { key: 'messages', where: 'message', walk: messages },
    { key: 'tools', where: 'tool_definition', walk: tools },
  ],
  count_tokens: [
    { key: 'system', where: 'system', walk: content },
    { key: 'messages', where: 'message', walk: messages },
    { key: 'tools', where: 'tool_definition', walk: tools },
  ],
  responses: [
    { key: 'instructions', where: 'system', walk: str },
    { key: 'input', where: 'message', walk: (v, w, f) => (typeof v === 'string' ? str(v, w, f) : messages(v, w, f)) },
    { key: 'tools', where: 'tool_definition', walk: tools },
  ],
  completions: [{ key: 'prompt', where: 'message', walk: texts }],
  embeddings: [{ key: 'input', where: 'message', walk: texts }],
}

/** Chat and completions choices: the message (chat) or the text (completions). */
const choices: Walk = (v, where, visit) =>
  each(v, where, visit, (c, w, f) => (isObj(c) ? fields(c, w, f, { message, text: str }) : c))

/** Where the answer is in a non-streamed response body, per endpoint (the caller's dialect). */
const responseRoots: Partial<Record<Endpoint, Root[]>> = {
  chat: [{ key: 'choices', where: 'response', walk: choices }],
  completions: [{ key: 'choices', where: 'response', walk: choices }],
  messages: [{ key: 'content', where: 'response', walk: content }],
  responses: [{ key: 'output', where: 'response', walk: messages }],
}
