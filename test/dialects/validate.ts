/**
 * Test helpers: the structural rules each upstream enforces on a request body (and rejects with a 400),
 * written down from the API references. Each returns the list of broken rules (empty = valid).
 */
type Json = Record<string, unknown>
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x)
const toolName = /^[a-zA-Z0-9_-]{1,64}$/
const chatRoles = new Set(['system', 'developer', 'user', 'assistant', 'tool'])
const chatParts = new Set(['text', 'image_url'])

function validJsonObject(text: unknown): boolean {
  try {
    return typeof text === 'string' && isObject(JSON.parse(text))
  } catch {
    return false
  }
}

/** https://platform.openai.com/docs/api-reference/chat/create */
export function chatProblems(body: Json): string[] {
  const problems: string[] = []
  const messages = Array.isArray(body.messages) ? body.messages : []
  if (!messages.length) problems.push('no messages')
  let open = new Set<string>()
  messages.forEach((m, i) => {
    if (!isObject(m)) {
      problems.push(`messages[${i}] is not an object`)
      return
    }
    if (m.role !== 'tool' && open.size) problems.push(`messages[${i}]: tool calls ${[...open].join(', ')} have no tool message`)
    if (m.role !== 'tool') open = new Set()
    if (!chatRoles.has(String(m.role))) problems.push(`messages[${i}]: role ${String(m.role)}`)
    const c = m.content
    if (m.role === 'assistant') {
      if (c !== null && typeof c !== 'string') problems.push(`messages[${i}]: assistant content must be a string or null here`)
      const calls = Array.isArray(m.tool_calls) ? m.tool_calls : []
      if (!c && !calls.length) problems.push(`messages[${i}]: empty assistant message`)
      for (const call of calls) {
        if (!isObject(call) || !isObject(call.function) || call.type !== 'function') problems.push(`messages[${i}]: bad tool call`)
        else {
          if (!call.id) problems.push(`messages[${i}]: tool call without id`)
          if (!toolName.test(String(call.function.name))) problems.push(`messages[${i}]: tool name ${String(call.function.name)}`)
          if (!validJsonObject(call.function.arguments)) problems.push(`messages[${i}]: arguments are not a JSON object`)
          open.add(String(call.id))
        }
      }
    } else if (m.role === 'tool') {
      if (!open.delete(String(m.tool_call_id))) problems.push(`messages[${i}]: tool_call_id ${String(m.tool_call_id)} answers no open call`)
      if (typeof c !== 'string') problems.push(`messages[${i}]: tool content must be a string here`)
    } else if (typeof c !== 'string') {
      if (!Array.isArray(c) || !c.length) problems.push(`messages[${i}]: content`)
      else for (const p of c) if (!isObject(p) || !chatParts.has(String(p.type))) problems.push(`messages[${i}]: part ${String(p)}`)
    }
  })
  if (open.size) problems.push(`tool calls ${[...open].join(', ')} have no tool message`)
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    const f = isObject(t) ? t.function : undefined
    if (!isObject(t) || t.type !== 'function' || !isObject(f)) problems.push('tool shape')
    else {
      if (!toolName.test(String(f.name))) problems.push(`tool name ${String(f.name)}`)
      if (!isObject(f.parameters) || f.parameters.type !== 'object') problems.push(`tool ${String(f.name)}: parameters`)
    }
  }
  if (body.tool_choice !== undefined && !body.tools) problems.push('tool_choice without tools')
  if (body.parallel_tool_calls !== undefined && !body.tools) problems.push('parallel_tool_calls without tools')
  return problems
}

/** https://docs.claude.com/en/api/messages */
export function anthropicProblems(body: Json): string[] {
  const problems: string[] = []
  if (typeof body.max_tokens !== 'number') problems.push('max_tokens is required')
  const messages = Array.isArray(body.messages) ? body.messages : []
  if (!messages.length) problems.push('no messages')
  let open = new Set<string>()
  let previousRole = ''
  messages.forEach((m, i) => {
    if (!isObject(m) || !Array.isArray(m.content)) {
      problems.push(`messages[${i}]: content must be blocks here`)
      return
    }
    if (m.role === previousRole && m.role !== 'system') problems.push(`messages[${i}]: two ${String(m.role)} turns in a row`)
    previousRole = String(m.role)
    if (!m.content.length) problems.push(`messages[${i}]: empty content`)
    let seenOther = false
    const answered = new Set<string>()
    for (const b of m.content as unknown[]) {
      if (!isObject(b)) continue
      if (b.type === 'text' && !b.text) problems.push(`messages[${i}]: empty text block`)
      if (b.type === 'thinking' && !b.signature) problems.push(`messages[${i}]: thinking without signature`)
      if (b.type === 'tool_use') {
        if (!/^[a-zA-Z0-9_-]+$/.test(String(b.id))) problems.push(`messages[${i}]: tool_use id ${String(b.id)}`)
        if (!isObject(b.input)) problems.push(`messages[${i}]: tool_use input`)
        open.add(String(b.id))
      }
      if (b.type === 'tool_result') {
        if (m.role !== 'user') problems.push(`messages[${i}]: tool_result outside a user turn`)
        if (seenOther) problems.push(`messages[${i}]: tool_result after other blocks`)
        if (!open.has(String(b.tool_use_id))) problems.push(`messages[${i}]: tool_result for unknown ${String(b.tool_use_id)}`)
        answered.add(String(b.tool_use_id))
      } else seenOther = true
    }
    if (m.role === 'user') {
      for (const id of open) if (!answered.has(id)) problems.push(`messages[${i}]: tool_use ${id} unanswered`)
      open = new Set()
    }
  })
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(t)) continue
    if (t.type !== undefined) continue
    const schema = t.input_schema
    if (!toolName.test(String(t.name)) || !isObject(schema) || schema.type !== 'object') problems.push(`tool ${String(t.name)}`)
  }
  if (body.tool_choice !== undefined && !body.tools) problems.push('tool_choice without tools')
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) problems.push('temperature outside 0–1')
  return problems
}

/** https://platform.openai.com/docs/api-reference/responses/create */
export function responsesProblems(body: Json): string[] {
  const problems: string[] = []
  const input = Array.isArray(body.input) ? body.input : []
  const calls = new Set<string>()
  input.forEach((item, i) => {
    if (!isObject(item)) {
      problems.push(`input[${i}] is not an object`)
      return
    }
    if (item.type === 'message' && !chatRoles.has(String(item.role))) problems.push(`input[${i}]: role`)
    if (item.type === 'function_call') {
      if (!validJsonObject(item.arguments)) problems.push(`input[${i}]: arguments`)
      calls.add(String(item.call_id))
    }
    if (item.type === 'function_call_output' && !calls.has(String(item.call_id))) problems.push(`input[${i}]: output for unknown call`)
    // With `store: false` a reasoning item can only be sent back with its encrypted content.
    if (item.type === 'reasoning' && !item.encrypted_content && body.store === false) problems.push(`input[${i}]: bare reasoning`)
  })
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(t)) continue
    const fns = t.type === 'namespace' && Array.isArray(t.tools) ? t.tools : t.type === 'function' ? [t] : []
    for (const f of fns) {
      if (!isObject(f) || typeof f.strict !== 'boolean' || !toolName.test(String(f.name))) problems.push(`tool ${String(t.name)}`)
    }
  }
  return problems
}
