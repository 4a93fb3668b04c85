/**
 * OpenAI Responses requests ⇄ canonical ChatRequest. Pure.
 * In: `instructions` and leading system/developer messages are the system prompt; function_call,
 * function_call_output and reasoning items join the assistant and tool turns; namespace tools are
 * flattened with their namespace kept; hosted tools (web_search…) and unknown items are kept for
 * Responses upstreams only. Out: reasoning items are sent only when they came from a Responses upstream
 * (they carry its id, and with `store: false` their encrypted content); function tools go out with an explicit `strict` (the API
 * defaults to strict schemas, which other dialects' tools do not satisfy); `store: false` unless the
 * caller said otherwise.
 */
import type {
  ChatRequest,
  FunctionTool,
  ImagePart,
  Message,
  OutputPart,
  Part,
  ReasoningEffort,
  ResponseFormat,
  TextPart,
  ThinkingConfig,
  Tool,
  ToolChoice,
  ToolResultPart,
} from '../canonical.ts'
import type { UpstreamOptions } from '../dialect.ts'
import { asArray, asBoolean, asNumber, asString, defined, isObject, unknownFields } from '../json.ts'
import type { JsonObject } from '../json.ts'
import { capTokens, effortOf, emptySchema, imageSourceFromUrl, imageSourceToUrl, joinText, textPart } from '../parts.ts'
import type {
  ResponsesFunctionTool,
  ResponsesInputImage,
  ResponsesInputItem,
  ResponsesInputText,
  ResponsesMessageItem,
  ResponsesNamespaceTool,
  ResponsesOther,
  ResponsesOutputText,
  ResponsesRequest,
  ResponsesTool,
  ResponsesToolChoice,
} from './types.ts'

const efforts = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])

const known = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'temperature',
  'top_p',
  'stream',
  'reasoning',
  'user',
  'metadata',
])

/** Content parts (rather than items) among raw Responses values. */
export function isContentPart(value: JsonObject): boolean {
  const t = value.type
  return typeof t === 'string' && (t.startsWith('input_') || t.startsWith('output_') || t === 'refusal')
}

//#region to canonical

function contentParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)]
  const out: Part[] = []
  for (const p of asArray(content)) {
    if (!isObject(p)) continue
    if ((p.type === 'input_text' || p.type === 'output_text') && typeof p.text === 'string') out.push(textPart(p.text))
    else if (p.type === 'refusal' && typeof p.refusal === 'string') out.push(textPart(p.refusal))
    else if (p.type === 'input_image' && typeof p.image_url === 'string') {
      const image: ImagePart = { type: 'image', source: imageSourceFromUrl(p.image_url) }
      if (p.detail === 'auto' || p.detail === 'low' || p.detail === 'high') image.detail = p.detail
      out.push(image)
    } else out.push({ type: 'raw', dialect: 'responses', value: p })
  }
  return out
}

/** A reasoning item as thinking: summaries (or raw reasoning text) joined, id and encrypted content kept. */
export function reasoningToThinking(item: JsonObject): OutputPart {
  const texts = (list: unknown) => asArray(list).flatMap((s) => (isObject(s) && typeof s.text === 'string' ? [s.text] : []))
  const summary = texts(item.summary)
  const thinking: OutputPart = { type: 'thinking', text: (summary.length ? summary : texts(item.content)).join('\n\n') }
  const id = asString(item.id)
  if (id) thinking.reasoningId = id
  const encrypted = asString(item.encrypted_content)
  if (encrypted) thinking.encryptedContent = encrypted
  return thinking
}

export function functionCallToPart(item: JsonObject): OutputPart {
  return defined<OutputPart>({
    type: 'tool_call',
    id: asString(item.call_id) ?? '',
    name: asString(item.name) ?? '',
    namespace: asString(item.namespace) || undefined,
    arguments: asString(item.arguments) ?? '',
  })
}

function toolResultOf(item: JsonObject): ToolResultPart {
  const content = contentParts(item.output).filter((p): p is TextPart | ImagePart => p.type === 'text' || p.type === 'image')
  return { type: 'tool_result', toolCallId: asString(item.call_id) ?? '', content }
}

function inputToCanonical(input: unknown, system: TextPart[]): Message[] {
  const out: Message[] = []
  const append = (role: Message['role'], part: Part) => {
    const last = out.at(-1)
    if (last?.role === role) last.content.push(part)
    else out.push({ role, content: [part] })
  }
  if (typeof input === 'string') return [{ role: 'user', content: [textPart(input)] }]
  for (const item of asArray(input)) {
    if (!isObject(item)) continue
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined)
    if (type === 'message') {
      const parts = contentParts(item.content)
      if (item.role === 'system' || item.role === 'developer') {
        const texts = parts.filter((p): p is TextPart => p.type === 'text')
        if (out.length === 0) system.push(...texts)
        else out.push({ role: 'system', content: texts })
      } else if (item.role === 'assistant') for (const p of parts) append('assistant', p)
      else out.push({ role: 'user', content: parts })
    } else if (type === 'function_call') append('assistant', functionCallToPart(item))
    else if (type === 'function_call_output') append('tool', toolResultOf(item))
    else if (type === 'reasoning') append('assistant', reasoningToThinking(item))
    else append(out.at(-1)?.role ?? 'user', { type: 'raw', dialect: 'responses', value: item })
  }
  return out
}

function functionTool(t: JsonObject, namespace?: { name: string; description?: string }): FunctionTool {
  return defined<FunctionTool>({
    type: 'function',
    name: asString(t.name) ?? '',
    namespace,
    description: asString(t.description),
    parameters: isObject(t.parameters) ? t.parameters : emptySchema(),
    strict: asBoolean(t.strict),
  })
}

function toolsToCanonical(tools: unknown): Tool[] {
  const out: Tool[] = []
  for (const t of asArray(tools)) {
    if (!isObject(t)) continue
    if (t.type === 'function' && typeof t.name === 'string') out.push(functionTool(t))
    else if (t.type === 'namespace' && typeof t.name === 'string' && Array.isArray(t.tools)) {
      const namespace: { name: string; description?: string } = { name: t.name }
      if (typeof t.description === 'string') namespace.description = t.description
      for (const inner of t.tools) if (isObject(inner) && inner.type === 'function') out.push(functionTool(inner, namespace))
    } else out.push({ type: 'builtin', dialect: 'responses', value: t })
  }
  return out
}

function formatToCanonical(f: unknown): ResponseFormat | undefined {
  if (!isObject(f)) return undefined
  if (f.type === 'text' || f.type === 'json_object') return { type: f.type }
  if (f.type !== 'json_schema') return undefined
  return defined<ResponseFormat>({
    type: 'json_schema',
    name: asString(f.name) ?? 'response',
    schema: isObject(f.schema) ? f.schema : {},
    strict: asBoolean(f.strict),
    description: asString(f.description),
  })
}

function toolChoiceToCanonical(c: unknown): ToolChoice | undefined {
  if (c === 'auto' || c === 'none' || c === 'required') return c
  return isObject(c) && c.type === 'function' && typeof c.name === 'string' ? { name: c.name } : undefined
}

function thinkingToCanonical(reasoning: unknown): ThinkingConfig | undefined {
  if (!isObject(reasoning)) return undefined
  const { effort, summary } = reasoning
  return defined<ThinkingConfig>({
    mode: effort === 'none' ? 'disabled' : undefined,
    effort: typeof effort === 'string' && efforts.has(effort) ? (effort as ReasoningEffort) : undefined,
    summary: summary === 'auto' || summary === 'concise' || summary === 'detailed' ? summary : undefined,
  })
}

function toCanonical(body: unknown): ChatRequest {
  const b = isObject(body) ? body : {}
  const system: TextPart[] = typeof b.instructions === 'string' && b.instructions ? [textPart(b.instructions)] : []
  const messages = inputToCanonical(b.input, system)
  const extra = unknownFields(b, known) ?? {}
  const toolChoice = toolChoiceToCanonical(b.tool_choice)
  if (!toolChoice && b.tool_choice !== undefined) extra.tool_choice = b.tool_choice
  const thinking = thinkingToCanonical(b.reasoning)
  // `text` rides along whole in `extra` (verbosity…); its format is also read for other dialects.
  return defined<ChatRequest>({
    model: asString(b.model) ?? '',
    system,
    messages,
    tools: toolsToCanonical(b.tools),
    toolChoice,
    parallelToolCalls: asBoolean(b.parallel_tool_calls),
    maxTokens: asNumber(b.max_output_tokens),
    temperature: asNumber(b.temperature),
    topP: asNumber(b.top_p),
    stream: b.stream === true,
    thinking: thinking && Object.keys(thinking).length ? thinking : undefined,
    responseFormat: isObject(b.text) ? formatToCanonical(b.text.format) : undefined,
    user: asString(b.user),
    metadata: isObject(b.metadata) ? (b.metadata as Record<string, string>) : undefined,
    extra: Object.keys(extra).length ? { responses: extra } : undefined,
  })
}

//#endregion

//#region from canonical

function inputImage(p: ImagePart): ResponsesInputImage {
  const image: ResponsesInputImage = { type: 'input_image', image_url: imageSourceToUrl(p.source) }
  if (p.detail) image.detail = p.detail
  return image
}

/**
 * `stored`: the upstream keeps responses (`store` not false), so reasoning items may go back by id alone;
 * otherwise only with their encrypted content.
 */
function inputFromCanonical(messages: readonly Message[], stored: boolean): ResponsesInputItem[] {
  const out: ResponsesInputItem[] = []
  for (const m of messages) {
    if (m.role === 'tool') {
      for (const p of m.content) {
        if (p.type === 'raw' && p.dialect === 'responses') out.push(p.value as ResponsesOther)
        if (p.type !== 'tool_result') continue
        const textOnly = p.content.every((c) => c.type !== 'image')
        const output = textOnly
          ? joinText(p.content)
          : p.content.flatMap((c): (ResponsesInputText | ResponsesInputImage)[] =>
              c.type === 'text' ? [{ type: 'input_text', text: c.text }] : c.type === 'image' ? [inputImage(c)] : [],
            )
        out.push({ type: 'function_call_output', call_id: p.toolCallId, output })
      }
      continue
    }
    const role = m.role === 'system' ? 'developer' : m.role
    // Text and images gather into one message item until an item of another kind comes between.
    let message: (ResponsesMessageItem & { content: unknown[] }) | undefined
    const add = (part: ResponsesInputText | ResponsesInputImage | ResponsesOutputText | ResponsesOther) => {
      if (!message) {
        message = { type: 'message', role, content: [] }
        out.push(message)
      }
      message.content.push(part)
    }
    for (const p of m.content) {
      if (p.type === 'text') {
        add(role === 'assistant' ? { type: 'output_text', text: p.text, annotations: [] } : { type: 'input_text', text: p.text })
      } else if (p.type === 'image') add(inputImage(p))
      else if (p.type === 'raw') {
        if (p.dialect !== 'responses') continue
        if (isContentPart(p.value)) add(p.value as ResponsesOther)
        else {
          out.push(p.value as ResponsesOther)
          message = undefined
        }
      } else if (p.type === 'tool_call') {
        out.push(defined({ type: 'function_call', call_id: p.id, name: p.name, namespace: p.namespace, arguments: p.arguments }))
        message = undefined
      } else if (p.type === 'thinking' && p.reasoningId && (p.encryptedContent || stored)) {
        const summary = p.text ? [{ type: 'summary_text' as const, text: p.text }] : []
        out.push(defined({ type: 'reasoning' as const, id: p.reasoningId, summary, encrypted_content: p.encryptedContent }))
        message = undefined
      }
    }
  }
  return out
}

function toolsFromCanonical(tools: readonly Tool[]): ResponsesTool[] {
  const out: ResponsesTool[] = []
  const namespaces = new Map<string, ResponsesNamespaceTool>()
  for (const t of tools) {
    if (t.type === 'builtin') {
      if (t.dialect === 'responses') out.push(t.value as ResponsesOther)
      continue
    }
    const { name, description, parameters } = t
    const tool = defined<ResponsesFunctionTool>({ type: 'function', name, description, parameters, strict: t.strict ?? false })
    if (!t.namespace) {
      out.push(tool)
      continue
    }
    let group = namespaces.get(t.namespace.name)
    if (!group) {
      group = { type: 'namespace', name: t.namespace.name, tools: [] }
      if (t.namespace.description !== undefined) group.description = t.namespace.description
      namespaces.set(t.namespace.name, group)
      out.push(group)
    }
    group.tools.push(tool)
  }
  return out
}

function toolChoiceFromCanonical(c: ToolChoice): ResponsesToolChoice {
  return typeof c === 'string' ? c : { type: 'function', name: c.name }
}

function reasoningFromCanonical(t: ThinkingConfig): ResponsesRequest['reasoning'] {
  // Thinking asked of an Anthropic-style caller comes back as summaries unless it asked to omit them.
  const summary = t.summary ?? (t.mode && t.mode !== 'disabled' && t.display !== 'omitted' ? 'auto' : undefined)
  const reasoning = defined({ effort: effortOf(t), summary })
  return Object.keys(reasoning).length ? reasoning : undefined
}

function fromCanonical(r: ChatRequest, o: UpstreamOptions = {}): ResponsesRequest {
  const extra = r.extra?.responses
  const tools = toolsFromCanonical(r.tools)
  const maxTokens = capTokens(r.maxTokens, o.maxOutputTokens)
  const text = isObject(extra?.text) ? extra.text : undefined
  return defined<ResponsesRequest>({
    store: false,
    ...extra,
    model: r.model,
    input: inputFromCanonical(r.messages, extra?.store !== undefined && extra.store !== false),
    instructions: joinText(r.system) || undefined,
    tools: tools.length ? tools : undefined,
    tool_choice: !tools.length
      ? undefined
      : r.toolChoice === undefined
        ? (extra?.tool_choice as ResponsesToolChoice | undefined)
        : toolChoiceFromCanonical(r.toolChoice),
    parallel_tool_calls: tools.length ? r.parallelToolCalls : undefined,
    max_output_tokens: maxTokens === undefined ? undefined : Math.max(16, maxTokens), // the API's minimum
    temperature: r.temperature,
    top_p: r.topP,
    stream: r.stream || undefined,
    reasoning: o.reasoning && r.thinking ? reasoningFromCanonical(r.thinking) : undefined,
    text: r.responseFormat ? { ...text, format: r.responseFormat } : text,
    user: r.user,
    metadata: r.metadata,
  })
}

//#endregion

export const responsesRequest = { toCanonical, fromCanonical }
