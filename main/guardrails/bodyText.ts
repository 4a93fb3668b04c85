/**
 * The text of a request or response body that guardrails look at, found without converting the body:
 * message text, tool-call arguments and tool results (and the system prompt), in whichever dialect the
 * caller speaks. Tool definitions, ids, names, signatures and base64 payloads are not content and are
 * skipped. Rewriting is copy-on-write: only the strings that change and the objects holding them are
 * copied, so every other field of the body is kept exactly as it came.
 */
import type { Endpoint } from '../providers/provider.ts'

export type Where = 'system' | 'message' | 'tool_call' | 'tool_result' | 'response'

/** Keys whose values are never content. */
const skipKeys = new Set([
  'type', 'role', 'id', 'name', 'tool_call_id', 'tool_use_id', 'call_id', 'signature', 'data', 'image_url', 'file_data',
  'encrypted_content', 'cache_control', 'media_type', 'mime_type', 'detail', 'status', 'model', 'annotations', 'citations',
  'logprobs', 'finish_reason', 'stop_reason', 'index', 'file_id', 'url',
])
const toolCallTypes = new Set(['tool_use', 'server_tool_use', 'function_call', 'custom_tool_call', 'mcp_call', 'local_shell_call'])
const toolResultTypes = new Set(['tool_result', 'function_call_output', 'custom_tool_call_output', 'local_shell_call_output', 'mcp_tool_result'])

type Root = { key: string; where: Where }

/** Where the content of a request is, per endpoint. */
const requestRoots: Partial<Record<Endpoint, Root[]>> = {
  chat: [{ key: 'messages', where: 'message' }],
  messages: [{ key: 'system', where: 'system' }, { key: 'messages', where: 'message' }],
  count_tokens: [{ key: 'system', where: 'system' }, { key: 'messages', where: 'message' }],
  responses: [{ key: 'instructions', where: 'system' }, { key: 'input', where: 'message' }],
  completions: [{ key: 'prompt', where: 'message' }],
  embeddings: [{ key: 'input', where: 'message' }],
}

/** Where the answer is in a non-streamed response body, per endpoint (the caller's dialect). */
const responseRoots: Partial<Record<Endpoint, Root[]>> = {
  chat: [{ key: 'choices', where: 'response' }],
  completions: [{ key: 'choices', where: 'response' }],
  messages: [{ key: 'content', where: 'response' }],
  responses: [{ key: 'output', where: 'response' }],
}

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
    const next = walk(v, root.where, visit)
    if (next !== v) {
      if (out === body) out = { ...body }
      out[root.key] = next
    }
  }
  return out
}

function walk(v: unknown, where: Where, visit: Visit): unknown {
  if (typeof v === 'string') {
    const r = visit(v, where)
    return r === undefined ? v : r
  }
  if (Array.isArray(v)) {
    let out: unknown[] | null = null
    for (let i = 0; i < v.length; i++) {
      const item = v[i]
      const next = walk(item, where, visit)
      if (next !== item) (out ??= v.slice())[i] = next
    }
    return out ?? v
  }
  if (v === null || typeof v !== 'object') return v
  const obj = v as Record<string, unknown>
  let here = where
  const type = obj.type
  if (typeof type === 'string') {
    if (toolCallTypes.has(type)) here = 'tool_call'
    else if (toolResultTypes.has(type)) here = 'tool_result'
  }
  const role = obj.role
  if (role === 'tool' || role === 'function') here = 'tool_result'
  else if ((role === 'system' || role === 'developer') && here === 'message') here = 'system'
  let out: Record<string, unknown> | null = null
  for (const key in obj) {
    if (skipKeys.has(key)) continue
    const child = obj[key]
    if (child === null || typeof child === 'number' || typeof child === 'boolean') continue
    const childWhere = key === 'tool_calls' || key === 'function_call' ? 'tool_call' : here
    const next = walk(child, childWhere, visit)
    if (next !== child) (out ??= { ...obj })[key] = next
  }
  return out ?? obj
}
