/**
 * Bedrock Converse requests ⇄ canonical ChatRequest. Pure.
 * Out (every caller dialect → a Converse upstream): the system prompt becomes `system` text blocks, system
 * entries between turns become user text, tool results become `toolResult` blocks in a user turn, turns
 * of one role are merged (Converse wants them alternating), a `cacheControl` mark becomes a `cachePoint`
 * block right after what it marks (system, message content, tools), tool call ids are kept within
 * `[a-zA-Z0-9_-]`, images go as base64 `bytes` (or an `s3://` location; web URLs cannot be sent), and
 * thinking goes back only to a Claude model (by name) and only as what it can check: its signed
 * `reasoningText` or `redactedContent`; other models (Nova, DeepSeek…) get no earlier reasoning. Tools are `toolSpec`s with the caller's JSON Schema;
 * `toolChoice` is sent only when it is not the default `auto` (`required` → `any`, one name → `tool`;
 * "none" has no Converse form: the tools are left out, unless earlier turns used them, which Converse
 * accepts only with a `toolConfig`). The model id and `stream` stay out of the body (both are in the URL).
 * In: the inverse, for round trips; unknown top-level fields are kept for Converse.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
import { GatewayError } from '../../errors/GatewayError.ts'
import type {
  CacheControl,
  ChatRequest,
  FunctionTool,
  ImagePart,
  Message,
  Part,
  TextPart,
  ThinkingConfig,
  Tool,
  ToolChoice,
  ToolResultPart,
} from '../canonical.ts'
import type { UpstreamOptions } from '../dialect.ts'
import { asArray, asNumber, asString, defined, isObject, isString, unknownFields } from '../json.ts'
import type { JsonObject } from '../json.ts'
import { capTokens, effortOf, emptySchema, flatToolName, parseArguments, textPart } from '../parts.ts'
import type {
  ConverseContentBlock,
  ConverseImageBlock,
  ConverseImageFormat,
  ConverseInferenceConfig,
  ConverseMessage,
  ConverseRequest,
  ConverseSystemBlock,
  ConverseTool,
  ConverseToolChoice,
  ConverseToolConfig,
  ConverseToolResultContent,
} from './types.ts'

const known = new Set(['messages', 'system', 'inferenceConfig', 'toolConfig', 'modelId', 'model', 'stream'])
const cachePoint = { cachePoint: { type: 'default' } } as const
const ephemeral: CacheControl = { type: 'ephemeral' }

//#region to canonical

const formats: readonly string[] = ['png', 'jpeg', 'gif', 'webp']

function imageToCanonical(image: unknown): ImagePart | undefined {
  if (!isObject(image) || !isObject(image.source)) return undefined
  const format = asString(image.format) ?? 'jpeg'
  const bytes = asString(image.source.bytes)
  if (bytes !== undefined) return { type: 'image', source: { type: 'base64', mediaType: `image/${format}`, data: bytes } }
  const s3 = image.source.s3Location
  if (isObject(s3) && isString(s3.uri)) return { type: 'image', source: { type: 'url', url: s3.uri } }
  return undefined
}

function toolResultToCanonical(r: JsonObject): ToolResultPart {
  const content: ToolResultPart['content'] = []
  for (const c of asArray(r.content)) {
    if (!isObject(c)) continue
    if (isString(c.text)) content.push(textPart(c.text))
    else if (c.json !== undefined) content.push(textPart(JSON.stringify(c.json)))
    else content.push(imageToCanonical(c.image) ?? { type: 'raw', dialect: 'converse', value: c })
  }
  const part: ToolResultPart = { type: 'tool_result', toolCallId: asString(r.toolUseId) ?? '', content }
  if (r.status === 'error') part.isError = true
  return part
}

/** A Converse content block as a canonical part, or undefined for a `cachePoint` (a mark on the part before). */
export function blockToPart(b: JsonObject): Part | undefined {
  if (b.cachePoint !== undefined) return undefined
  if (isString(b.text)) return textPart(b.text)
  const image = imageToCanonical(b.image)
  if (image) return image
  if (isObject(b.toolUse) && isString(b.toolUse.name)) {
    const u = b.toolUse
    return { type: 'tool_call', id: asString(u.toolUseId) ?? '', name: u.name as string, arguments: JSON.stringify(u.input ?? {}) }
  }
  if (isObject(b.toolResult)) return toolResultToCanonical(b.toolResult)
  const reasoning = b.reasoningContent
  if (isObject(reasoning)) {
    if (isObject(reasoning.reasoningText)) {
      const t = reasoning.reasoningText
      return defined({ type: 'thinking' as const, text: asString(t.text) ?? '', signature: asString(t.signature) })
    }
    if (isString(reasoning.redactedContent)) return { type: 'thinking', text: '', redactedData: reasoning.redactedContent }
  }
  return { type: 'raw', dialect: 'converse', value: b }
}

function mark(part: Part | undefined): void {
  if (part && part.type !== 'thinking' && part.type !== 'raw') part.cacheControl = ephemeral
}

function messagesToCanonical(list: unknown[]): Message[] {
  const out: Message[] = []
  for (const m of list) {
    if (!isObject(m)) continue
    const role = m.role === 'assistant' ? 'assistant' : 'user'
    let last: Part | undefined
    for (const b of asArray(m.content)) {
      if (!isObject(b)) continue
      const part = blockToPart(b)
      if (!part) {
        mark(last)
        continue
      }
      last = part
      const target: Message['role'] = part.type === 'tool_result' ? 'tool' : role
      const previous = out.at(-1)
      if (previous?.role === target) previous.content.push(part)
      else out.push({ role: target, content: [part] })
    }
  }
  return out
}

function toolsToCanonical(config: JsonObject): Tool[] {
  const out: Tool[] = []
  for (const t of asArray(config.tools)) {
    if (!isObject(t)) continue
    if (t.cachePoint !== undefined) {
      const previous = out.at(-1)
      if (previous?.type === 'function') previous.cacheControl = ephemeral
      continue
    }
    const spec = t.toolSpec
    if (!isObject(spec) || !isString(spec.name)) {
      out.push({ type: 'builtin', dialect: 'converse', value: t })
      continue
    }
    const schema = isObject(spec.inputSchema) ? spec.inputSchema.json : undefined
    out.push(defined<FunctionTool>({ type: 'function', name: spec.name, description: asString(spec.description), parameters: isObject(schema) ? schema : emptySchema() }))
  }
  return out
}

function toolChoiceToCanonical(c: unknown): ToolChoice | undefined {
  if (!isObject(c)) return undefined
  if (isObject(c.tool) && isString(c.tool.name)) return { name: c.tool.name }
  if (c.any !== undefined) return 'required'
  return c.auto !== undefined ? 'auto' : undefined
}

function toCanonical(body: unknown): ChatRequest {
  if (!isObject(body) || !Array.isArray(body.messages)) {
    throw new GatewayError('invalid_request', 'messages: Field required (an array of messages)', { param: 'messages' })
  }
  const system: TextPart[] = []
  for (const s of asArray(body.system)) {
    if (!isObject(s)) continue
    if (isString(s.text)) system.push(textPart(s.text))
    else if (s.cachePoint !== undefined) mark(system.at(-1))
  }
  const config = isObject(body.inferenceConfig) ? body.inferenceConfig : {}
  const toolConfig = isObject(body.toolConfig) ? body.toolConfig : {}
  const extra = unknownFields(body, known)
  const stop = config.stopSequences
  return defined<ChatRequest>({
    model: asString(body.modelId) ?? asString(body.model) ?? '',
    system,
    messages: messagesToCanonical(body.messages),
    tools: toolsToCanonical(toolConfig),
    toolChoice: toolChoiceToCanonical(toolConfig.toolChoice),
    maxTokens: asNumber(config.maxTokens),
    temperature: asNumber(config.temperature),
    topP: asNumber(config.topP),
    stop: Array.isArray(stop) ? stop.filter(isString) : undefined,
    stream: body.stream === true,
    extra: extra ? { converse: extra } : undefined,
  })
}

//#endregion

//#region from canonical

const idPattern = /[^a-zA-Z0-9_-]/g

/** Converse takes tool use ids matching `[a-zA-Z0-9_-]+` (at most 64 characters). */
export function converseToolId(id: string): string {
  const clean = id ? id.replace(idPattern, '_') : 'tooluse_0'
  return clean.length > 64 ? clean.slice(0, 64) : clean
}

const formatOfMediaType: Record<string, ConverseImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

function s3Format(url: string): ConverseImageFormat {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase()
  return ext === 'jpg' ? 'jpeg' : ext && formats.includes(ext) ? (ext as ConverseImageFormat) : 'jpeg'
}

function imageBlock(p: ImagePart): ConverseImageBlock {
  const s = p.source
  if (s.type === 'base64') {
    const format = formatOfMediaType[s.mediaType.toLowerCase()]
    if (!format) throw new GatewayError('invalid_request', `Bedrock Converse takes png, jpeg, gif and webp images, not ${s.mediaType}`, { param: 'messages' })
    return { format, source: { bytes: s.data } }
  }
  if (s.url.startsWith('s3://')) return { format: s3Format(s.url), source: { s3Location: { uri: s.url } } }
  throw new GatewayError('invalid_request', 'Bedrock Converse takes images as base64 data (a data: URL) or s3:// locations, not web URLs', { param: 'messages' })
}

function toolResultContent(p: ToolResultPart): ConverseToolResultContent[] {
  const out: ConverseToolResultContent[] = []
  for (const c of p.content) {
    if (c.type === 'text') out.push({ text: c.text })
    else if (c.type === 'image') out.push({ image: imageBlock(c) })
    else if (c.dialect === 'converse') out.push(c.value)
  }
  return out
}

/** One canonical part as Converse blocks (its cache mark as a `cachePoint` after it). */
function partToBlocks(p: Part, claude: boolean): ConverseContentBlock[] {
  let block: ConverseContentBlock | undefined
  switch (p.type) {
    case 'text':
      // Converse refuses blank text blocks.
      if (p.text.trim()) block = { text: p.text }
      break
    case 'image':
      block = { image: imageBlock(p) }
      break
    case 'tool_call':
      block = { toolUse: { toolUseId: converseToolId(p.id), name: flatToolName(p), input: parseArguments(p.arguments) } }
      break
    case 'tool_result': {
      const result = { toolUseId: converseToolId(p.toolCallId), content: toolResultContent(p) }
      block = { toolResult: p.isError ? { ...result, status: 'error' } : result }
      break
    }
    case 'thinking':
      if (!claude) break
      if (p.redactedData) block = { reasoningContent: { redactedContent: p.redactedData } }
      else if (p.signature) block = { reasoningContent: { reasoningText: { text: p.text, signature: p.signature } } }
      break
    case 'raw':
      if (p.dialect === 'converse') block = p.value as ConverseContentBlock
      break
  }
  if (!block) return []
  return p.type !== 'thinking' && p.type !== 'raw' && p.cacheControl ? [block, { ...cachePoint }] : [block]
}

function messagesFromCanonical(messages: readonly Message[], claude: boolean): ConverseMessage[] {
  const out: ConverseMessage[] = []
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'assistant' : 'user'
    const content = m.content.flatMap((p) => partToBlocks(p, claude))
    if (!content.length) continue
    const last = out.at(-1)
    if (last?.role === role) last.content.push(...content)
    else out.push({ role, content })
  }
  // Within a user turn, tool results come first (answers to the turn before, as Claude requires too).
  for (const m of out) {
    if (m.role !== 'user' || !m.content.some((b) => b.toolResult)) continue
    m.content = [...m.content.filter((b) => b.toolResult), ...m.content.filter((b) => !b.toolResult)]
  }
  return out
}

function usesTools(messages: readonly ConverseMessage[]): Set<string> | null {
  let names: Set<string> | null = null
  for (const m of messages) {
    for (const b of m.content) {
      if (b.toolUse) (names ??= new Set()).add(b.toolUse.name)
      else if (b.toolResult) names ??= new Set()
    }
  }
  return names
}

function toolsFromCanonical(tools: readonly Tool[]): ConverseTool[] {
  const out: ConverseTool[] = []
  for (const t of tools) {
    if (t.type === 'builtin') {
      if (t.dialect === 'converse') out.push(t.value)
      continue
    }
    out.push({ toolSpec: defined({ name: flatToolName({ name: t.name, namespace: t.namespace?.name }), description: t.description || undefined, inputSchema: { json: t.parameters } }) })
    if (t.cacheControl) out.push({ ...cachePoint })
  }
  return out
}

function toolChoiceFromCanonical(c: ToolChoice | undefined): ConverseToolChoice | undefined {
  if (c === 'required') return { any: {} }
  if (typeof c === 'object') return { tool: { name: c.name } }
  return undefined
}

/**
 * The tools for the call. Converse refuses `toolUse`/`toolResult` blocks without a `toolConfig`, so when
 * the caller sends none (or "none") while its history has tool turns, the tools it used are declared
 * with an open schema.
 */
function toolConfigFromCanonical(r: ChatRequest, messages: readonly ConverseMessage[]): ConverseToolConfig | undefined {
  const history = usesTools(messages)
  const tools = r.toolChoice === 'none' && !history ? [] : toolsFromCanonical(r.tools)
  if (!tools.some((t) => t.toolSpec) && history) {
    for (const name of history) tools.push({ toolSpec: { name, inputSchema: { json: emptySchema() } } })
  }
  if (!tools.length) return undefined
  const toolChoice = r.toolChoice === 'none' ? undefined : toolChoiceFromCanonical(r.toolChoice)
  return toolChoice ? { tools, toolChoice } : { tools }
}

const budgetOfEffort = { minimal: 1024, low: 1024, medium: 8192, high: 24576, xhigh: 32768 }

/**
 * Reasoning has no model-independent Converse field: it goes in `additionalModelRequestFields`, as
 * Claude's `thinking` or Nova 2's `reasoningConfig`; other models get nothing.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html and
 * https://docs.aws.amazon.com/nova/latest/nova2-userguide/extended-thinking.html
 */
function reasoningFields(model: string, t: ThinkingConfig, maxTokens: number | undefined): JsonObject {
  const effort = effortOf(t)
  if (model.includes('anthropic.')) {
    if (t.mode === 'disabled' || t.effort === 'none') return {}
    const wanted = t.budgetTokens ?? (effort ? budgetOfEffort[effort] : 1024)
    const budget = maxTokens !== undefined ? Math.min(wanted, maxTokens - 1) : wanted
    return budget >= 1024 ? { thinking: { type: 'enabled', budget_tokens: budget } } : {}
  }
  if (model.includes('amazon.nova')) {
    if (!effort) return {}
    return { reasoningConfig: { type: 'enabled', maxReasoningEffort: effort === 'minimal' ? 'low' : effort === 'xhigh' ? 'high' : effort } }
  }
  return {}
}

function fromCanonical(r: ChatRequest, o: UpstreamOptions = {}): ConverseRequest {
  const { additionalModelRequestFields: extraFields, ...rest } = r.extra?.converse ?? {}
  const model = o.model ?? r.model
  const messages = messagesFromCanonical(r.messages, /anthropic\.|claude/.test(model))
  const maxTokens = capTokens(r.maxTokens, o.maxOutputTokens)
  const inferenceConfig = defined<ConverseInferenceConfig>({
    maxTokens,
    temperature: r.temperature === undefined ? undefined : Math.min(1, Math.max(0, r.temperature)),
    topP: r.topP,
    stopSequences: r.stop?.length ? r.stop : undefined,
  })
  const system: ConverseSystemBlock[] = []
  for (const p of r.system) {
    if (!p.text) continue
    system.push({ text: p.text })
    if (p.cacheControl) system.push({ ...cachePoint })
  }
  const additional = {
    ...(isObject(extraFields) ? extraFields : {}),
    ...(o.reasoning && r.thinking ? reasoningFields(model, r.thinking, maxTokens) : {}),
  }
  return defined<ConverseRequest>({
    ...rest,
    messages,
    system: system.length ? system : undefined,
    inferenceConfig: Object.keys(inferenceConfig).length ? inferenceConfig : undefined,
    toolConfig: toolConfigFromCanonical(r, messages),
    additionalModelRequestFields: Object.keys(additional).length ? additional : undefined,
  })
}

//#endregion

export const converseRequest = { toCanonical, fromCanonical }
