/**
 * Anthropic Messages requests ⇄ canonical ChatRequest. Pure.
 * In: `system` (string or blocks, cache_control kept), `role: "system"` entries inside `messages` (Claude
 * Code) stay in place, tool_result blocks become `tool` messages, unknown blocks and tool fields are kept
 * for Anthropic only (so are `metadata` and `output_config`). Out: consecutive turns of one role are
 * merged (tool results lead the user turn), empty text blocks and thinking without an Anthropic
 * signature are dropped, tool ids are made to match `^[a-zA-Z0-9_-]+$`, temperature is clamped to 0–1.
 */
import { GatewayError } from '../../errors/GatewayError.ts'
import type {
  CacheControl,
  ChatRequest,
  FunctionTool,
  ImagePart,
  Message,
  Part,
  RawPart,
  ReasoningEffort,
  ResponseFormat,
  TextPart,
  ThinkingConfig,
  ThinkingPart,
  Tool,
  ToolCallPart,
  ToolChoice,
  ToolResultPart,
} from '../canonical.ts'
import type { UpstreamOptions } from '../dialect.ts'
import { asArray, asBoolean, asNumber, asString, defined, isObject, isString, unknownFields } from '../json.ts'
import type { JsonObject } from '../json.ts'
import { capTokens, emptySchema, flatToolName, parseArguments, textPart } from '../parts.ts'
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicOtherBlock,
  AnthropicTextBlock,
  AnthropicThinkingConfig,
  AnthropicTool,
  AnthropicToolChoice,
} from './types.ts'

const known = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
])
const knownMessageFields = new Set(['role', 'content'])
const knownToolFields = new Set(['name', 'description', 'input_schema', 'cache_control', 'strict', 'type'])
const efforts = new Set(['low', 'medium', 'high', 'xhigh', 'max'])

//#region to canonical

function cacheControlOf(b: JsonObject): CacheControl | undefined {
  const c = b.cache_control
  if (!isObject(c) || c.type !== 'ephemeral') return undefined
  return c.ttl === '5m' || c.ttl === '1h' ? { type: 'ephemeral', ttl: c.ttl } : { type: 'ephemeral' }
}

function withCache<T extends { cacheControl?: CacheControl }>(part: T, b: JsonObject): T {
  const c = cacheControlOf(b)
  if (c) part.cacheControl = c
  return part
}

function imageOf(b: JsonObject): ImagePart | RawPart {
  const s = b.source
  if (isObject(s) && s.type === 'base64' && typeof s.media_type === 'string' && typeof s.data === 'string') {
    return withCache<ImagePart>({ type: 'image', source: { type: 'base64', mediaType: s.media_type, data: s.data } }, b)
  }
  if (isObject(s) && s.type === 'url' && typeof s.url === 'string') {
    return withCache<ImagePart>({ type: 'image', source: { type: 'url', url: s.url } }, b)
  }
  return { type: 'raw', dialect: 'anthropic', value: b }
}

/** Blocks of a message, a response or a tool result (except tool_result itself). */
export function blockToPart(b: JsonObject): Part {
  switch (b.type) {
    case 'text':
      return withCache(textPart(asString(b.text) ?? ''), b)
    case 'image':
      return imageOf(b)
    case 'tool_use':
      return withCache<ToolCallPart>(
        { type: 'tool_call', id: asString(b.id) ?? '', name: asString(b.name) ?? '', arguments: JSON.stringify(b.input ?? {}) },
        b,
      )
    case 'thinking':
      return defined<ThinkingPart>({
        type: 'thinking',
        text: asString(b.thinking) ?? '',
        signature: asString(b.signature) || undefined,
      })
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redactedData: asString(b.data) ?? '' }
    default:
      return { type: 'raw', dialect: 'anthropic', value: b }
  }
}

function toolResultOf(b: JsonObject): ToolResultPart {
  const content: ToolResultPart['content'] = []
  if (typeof b.content === 'string') content.push(textPart(b.content))
  for (const c of asArray(b.content)) {
    if (!isObject(c)) continue
    const part = blockToPart(c)
    if (part.type === 'text' || part.type === 'image' || part.type === 'raw') content.push(part)
  }
  const result = withCache<ToolResultPart>({ type: 'tool_result', toolCallId: asString(b.tool_use_id) ?? '', content }, b)
  if (b.is_error === true) result.isError = true
  return result
}

function messagesToCanonical(list: unknown[]): Message[] {
  const out: Message[] = []
  for (const m of list) {
    if (!isObject(m)) continue
    const role = m.role === 'assistant' ? 'assistant' : m.role === 'system' ? 'system' : 'user'
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : asArray(m.content)
    const extra = unknownFields(m, knownMessageFields)
    const first = out.length
    // A user turn splits into runs: tool results (a `tool` message), then everything else.
    for (const b of blocks) {
      if (!isObject(b)) continue
      const isResult = role === 'user' && b.type === 'tool_result'
      const targetRole = isResult ? 'tool' : role
      const part = isResult ? toolResultOf(b) : blockToPart(b)
      const last = out.length > first ? out[out.length - 1] : undefined
      if (last?.role === targetRole) last.content.push(part)
      else out.push({ role: targetRole, content: [part] })
    }
    if (out.length === first) out.push({ role, content: [] })
    const head = out[first]
    if (extra && head) head.extra = { anthropic: extra }
  }
  return out
}

function toolsToCanonical(tools: unknown): Tool[] {
  const out: Tool[] = []
  for (const t of asArray(tools)) {
    if (!isObject(t)) continue
    if (typeof t.name !== 'string' || !isObject(t.input_schema) || (t.type !== undefined && t.type !== 'custom')) {
      out.push({ type: 'builtin', dialect: 'anthropic', value: t })
      continue
    }
    const extra = unknownFields(t, knownToolFields)
    const tool = defined<FunctionTool>({
      type: 'function',
      name: t.name,
      description: asString(t.description),
      parameters: t.input_schema,
      strict: asBoolean(t.strict),
      extra: extra && { anthropic: extra },
    })
    out.push(withCache(tool, t))
  }
  return out
}

function thinkingToCanonical(t: unknown, effort: unknown): ThinkingConfig | undefined {
  const out: ThinkingConfig = {}
  if (isObject(t)) {
    if (t.type === 'enabled' || t.type === 'adaptive' || t.type === 'disabled') out.mode = t.type
    const budget = asNumber(t.budget_tokens)
    if (budget !== undefined) out.budgetTokens = budget
    if (t.display === 'summarized' || t.display === 'omitted') out.display = t.display
  }
  if (typeof effort === 'string' && efforts.has(effort)) out.effort = effort as ReasoningEffort
  return Object.keys(out).length ? out : undefined
}

function toolChoiceToCanonical(c: JsonObject): ToolChoice | undefined {
  if (c.type === 'auto' || c.type === 'none') return c.type
  if (c.type === 'any') return 'required'
  return c.type === 'tool' && typeof c.name === 'string' ? { name: c.name } : undefined
}

function jsonSchema(schema: Record<string, unknown>): ResponseFormat {
  return { type: 'json_schema', name: 'response', schema }
}

function toCanonical(body: unknown): ChatRequest {
  if (!isObject(body) || !Array.isArray(body.messages)) {
    throw new GatewayError('invalid_request', 'messages: Field required (an array of messages)', { param: 'messages' })
  }
  const system: TextPart[] = []
  if (typeof body.system === 'string') {
    if (body.system) system.push(textPart(body.system))
  } else {
    for (const b of asArray(body.system)) {
      if (isObject(b) && typeof b.text === 'string') system.push(withCache(textPart(b.text), b))
    }
  }
  const choice = isObject(body.tool_choice) ? body.tool_choice : {}
  const outputConfig = isObject(body.output_config) ? body.output_config : {}
  const format = outputConfig.format
  // `output_config` rides along whole in `extra` (effort and format are also read for other dialects),
  // and so does `metadata`: Claude Code's `user_id` is a JSON blob of device and session ids meant for
  // Anthropic, not an end-user id to hand to other providers.
  const extra = unknownFields(body, known)
  return defined<ChatRequest>({
    model: asString(body.model) ?? '',
    system,
    messages: messagesToCanonical(body.messages),
    tools: toolsToCanonical(body.tools),
    toolChoice: toolChoiceToCanonical(choice),
    parallelToolCalls: choice.disable_parallel_tool_use === true ? false : undefined,
    maxTokens: asNumber(body.max_tokens),
    temperature: asNumber(body.temperature),
    topP: asNumber(body.top_p),
    topK: asNumber(body.top_k),
    stop: Array.isArray(body.stop_sequences) ? body.stop_sequences.filter(isString) : undefined,
    stream: body.stream === true,
    thinking: thinkingToCanonical(body.thinking, outputConfig.effort),
    responseFormat: isObject(format) && format.type === 'json_schema' && isObject(format.schema) ? jsonSchema(format.schema) : undefined,
    extra: extra && { anthropic: extra },
  })
}

//#endregion

//#region from canonical

const idPattern = /[^a-zA-Z0-9_-]/g

/** Anthropic accepts tool ids matching `^[a-zA-Z0-9_-]+$`; other dialects' ids (`functions.f:0`) are mapped. */
export function anthropicToolId(id: string): string {
  if (!id) return 'toolu_0'
  idPattern.lastIndex = 0
  return idPattern.test(id) ? id.replace(idPattern, '_') : id
}

function cacheControlFrom(c: CacheControl | undefined): { cache_control?: AnthropicCacheControl } {
  return c ? { cache_control: c.ttl ? { type: 'ephemeral', ttl: c.ttl } : { type: 'ephemeral' } } : {}
}

function imageBlock(p: ImagePart): AnthropicImageBlock {
  const s = p.source
  const source = s.type === 'url' ? s : { type: 'base64' as const, media_type: s.mediaType, data: s.data }
  return { type: 'image', source, ...cacheControlFrom(p.cacheControl) }
}

/** Canonical part → Anthropic block, or undefined when Anthropic cannot take it. */
export function partToBlock(p: Part): AnthropicContentBlock | AnthropicOtherBlock | undefined {
  switch (p.type) {
    case 'text':
      return p.text ? { type: 'text', text: p.text, ...cacheControlFrom(p.cacheControl) } : undefined
    case 'image':
      return imageBlock(p)
    case 'tool_call':
      return {
        type: 'tool_use',
        id: anthropicToolId(p.id),
        name: flatToolName(p),
        input: parseArguments(p.arguments),
        ...cacheControlFrom(p.cacheControl),
      }
    case 'tool_result': {
      const content: (AnthropicTextBlock | AnthropicImageBlock)[] = []
      for (const c of p.content) {
        const block = c.type === 'raw' ? (c.dialect === 'anthropic' ? c.value : undefined) : partToBlock(c)
        if (block) content.push(block as AnthropicTextBlock | AnthropicImageBlock)
      }
      const only = content.length === 1 ? content[0] : undefined
      return {
        type: 'tool_result',
        tool_use_id: anthropicToolId(p.toolCallId),
        ...(only?.type === 'text' && !only.cache_control ? { content: only.text } : content.length ? { content } : {}),
        ...(p.isError ? { is_error: true } : {}),
        ...cacheControlFrom(p.cacheControl),
      }
    }
    case 'thinking':
      if (p.redactedData) return { type: 'redacted_thinking', data: p.redactedData }
      return p.signature ? { type: 'thinking', thinking: p.text, signature: p.signature } : undefined
    case 'raw':
      return p.dialect === 'anthropic' ? (p.value as AnthropicOtherBlock) : undefined
  }
}

function messagesFromCanonical(messages: readonly Message[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = []
  let lastHasExtra = false
  for (const m of messages) {
    const role = m.role === 'tool' ? 'user' : m.role
    const blocks: (AnthropicContentBlock | AnthropicOtherBlock)[] = []
    for (const p of m.content) {
      const block = partToBlock(p)
      if (block) blocks.push(block)
    }
    if (blocks.length === 0) continue
    const extra = m.extra?.anthropic
    const last = out.at(-1)
    if (last && last.role === role && !extra && !lastHasExtra && Array.isArray(last.content)) last.content.push(...blocks)
    else out.push({ ...extra, role, content: blocks })
    lastHasExtra = extra !== undefined
  }
  return out
}

function toolsFromCanonical(tools: readonly Tool[]): (AnthropicTool | AnthropicOtherBlock)[] {
  const out: (AnthropicTool | AnthropicOtherBlock)[] = []
  for (const t of tools) {
    if (t.type === 'builtin') {
      if (t.dialect === 'anthropic') out.push(t.value as AnthropicOtherBlock)
      continue
    }
    const tool = defined<AnthropicTool>({
      ...t.extra?.anthropic,
      name: flatToolName({ name: t.name, namespace: t.namespace?.name }),
      description: t.description,
      // Anthropic wants an object schema; chat tools may have none.
      input_schema: t.parameters.type === 'object' ? t.parameters : { ...emptySchema(), ...t.parameters },
      strict: t.strict,
    })
    out.push({ ...tool, ...cacheControlFrom(t.cacheControl) })
  }
  return out
}

function toolChoiceFromCanonical(c: ToolChoice | undefined, parallel: boolean | undefined): AnthropicToolChoice | undefined {
  if (c === 'none') return { type: 'none' }
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {}
  if (c === undefined) return parallel === false ? { type: 'auto', disable_parallel_tool_use: true } : undefined
  if (c === 'auto') return { type: 'auto', ...noParallel }
  if (c === 'required') return { type: 'any', ...noParallel }
  return { type: 'tool', name: c.name, ...noParallel }
}

const budgetOfEffort = { none: 0, minimal: 1024, low: 2048, medium: 8192, high: 16384, xhigh: 32000, max: 32000 }

function thinkingFromCanonical(t: ThinkingConfig, maxTokens: number): AnthropicThinkingConfig | undefined {
  const display = t.display ? { display: t.display } : {}
  if (t.mode === 'disabled') return undefined
  if (t.mode === 'adaptive') return { type: 'adaptive', ...display }
  const budget = Math.min(t.budgetTokens ?? (t.effort ? budgetOfEffort[t.effort] : 0), maxTokens - 1)
  return budget >= 1024 ? { type: 'enabled', budget_tokens: budget, ...display } : undefined
}

/**
 * Thinking is sent only when Anthropic would accept it with the rest of the request, so that a reasoning
 * setting never breaks a call: no forced tool choice, temperature unset or 1, no top_k, top_p unset or
 * ≥ 0.95, and the last assistant turn of a tool loop starting with a signed thinking block (history from
 * other dialects has none). https://docs.claude.com/en/docs/build-with-claude/extended-thinking
 */
function thinkingAllowed(r: ChatRequest): boolean {
  if (r.toolChoice === 'required' || typeof r.toolChoice === 'object') return false
  if ((r.temperature ?? 1) !== 1 || r.topK !== undefined || (r.topP ?? 1) < 0.95) return false
  const last = r.messages.findLast((m) => m.role === 'assistant')
  if (!last?.content.some((p) => p.type === 'tool_call')) return true
  return last.content.some((p) => p.type === 'thinking' && (p.signature || p.redactedData))
}

function systemBlock(p: TextPart): AnthropicTextBlock {
  return { type: 'text', text: p.text, ...cacheControlFrom(p.cacheControl) }
}

function fromCanonical(r: ChatRequest, o: UpstreamOptions = {}): AnthropicMessagesRequest {
  const extra = r.extra?.anthropic
  const maxTokens = capTokens(r.maxTokens ?? o.defaultMaxTokens ?? 4096, o.maxOutputTokens) ?? 4096
  const tools = toolsFromCanonical(r.tools)
  const thinking =
    o.reasoning && r.thinking && thinkingAllowed(r) ? thinkingFromCanonical(r.thinking, maxTokens) : undefined
  const schema = r.responseFormat?.type === 'json_schema' ? r.responseFormat.schema : undefined
  const format = schema && { type: 'json_schema' as const, schema }
  const outputConfig = isObject(extra?.output_config) ? extra.output_config : undefined
  const metadata = isObject(extra?.metadata) ? extra.metadata : undefined
  return defined<AnthropicMessagesRequest>({
    ...extra,
    model: r.model,
    messages: messagesFromCanonical(r.messages),
    max_tokens: maxTokens,
    system: r.system.length ? r.system.map(systemBlock) : undefined,
    tools: tools.length ? tools : undefined,
    tool_choice: tools.length ? toolChoiceFromCanonical(r.toolChoice, r.parallelToolCalls) : undefined,
    temperature: r.temperature === undefined ? undefined : Math.min(1, Math.max(0, r.temperature)),
    top_p: r.topP,
    top_k: r.topK,
    stop_sequences: r.stop?.length ? r.stop : undefined,
    stream: r.stream || undefined,
    thinking,
    output_config: format ? { ...outputConfig, format } : outputConfig,
    metadata: r.user === undefined ? metadata : { ...metadata, user_id: r.user },
  })
}

//#endregion

export const anthropicRequest = { toCanonical, fromCanonical }
