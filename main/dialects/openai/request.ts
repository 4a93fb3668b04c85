/**
 * OpenAI chat requests ⇄ canonical ChatRequest. Pure.
 * In: leading `system`/`developer` messages are the system prompt, later ones stay in place; tool
 * messages become tool_result parts; `reasoning_content` in history becomes thinking.
 * Out: thinking in history is dropped (chat upstreams reject or ignore it) unless `echoReasoning`;
 * images inside tool results move to the next user message (tool messages take text only); `metadata`
 * is dropped (OpenAI accepts it only with `store: true`); `top_k` is not a chat field and is dropped.
 */
import { GatewayError } from '../../errors/GatewayError.ts'
import type {
  ChatRequest,
  ImagePart,
  Message,
  OutputPart,
  Part,
  ReasoningEffort,
  ResponseFormat,
  TextPart,
  ThinkingConfig,
  Tool,
  ToolCallPart,
  ToolChoice,
  ToolResultPart,
} from '../canonical.ts'
import type { UpstreamOptions } from '../dialect.ts'
import { asArray, asBoolean, asNumber, asString, defined, isObject, isString, unknownFields } from '../json.ts'
import type { JsonObject } from '../json.ts'
import {
  capTokens,
  effortOf,
  emptySchema,
  flatToolName,
  imageSourceFromUrl,
  imageSourceToUrl,
  joinText,
  textPart,
  toolCalls,
} from '../parts.ts'
import type {
  OpenAIChatContentPart,
  OpenAIChatMessage,
  OpenAIChatRequest,
  OpenAIChatResponseFormat,
  OpenAIChatTextPart,
  OpenAIChatTool,
  OpenAIChatToolCall,
  OpenAIChatToolChoice,
} from './types.ts'

const efforts = new Set(['minimal', 'low', 'medium', 'high', 'xhigh'])

const known = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'reasoning_effort',
  'response_format',
  'user',
  'metadata',
])

//#region to canonical

function textParts(content: unknown): TextPart[] {
  if (typeof content === 'string') return content ? [textPart(content)] : []
  const out: TextPart[] = []
  for (const p of asArray(content)) if (isObject(p) && typeof p.text === 'string') out.push(textPart(p.text))
  return out
}

function userParts(content: unknown): Part[] {
  if (typeof content === 'string') return [textPart(content)]
  const out: Part[] = []
  for (const p of asArray(content)) {
    if (!isObject(p)) continue
    if (p.type === 'text' && typeof p.text === 'string') out.push(textPart(p.text))
    else if (p.type === 'image_url' && isObject(p.image_url) && typeof p.image_url.url === 'string') {
      const image: ImagePart = { type: 'image', source: imageSourceFromUrl(p.image_url.url) }
      const detail = p.image_url.detail
      if (detail === 'auto' || detail === 'low' || detail === 'high') image.detail = detail
      out.push(image)
    } else out.push({ type: 'raw', dialect: 'openai', value: p })
  }
  return out
}

/** Assistant turns and response messages share this shape. */
export function assistantParts(m: JsonObject): OutputPart[] {
  const out: OutputPart[] = []
  const reasoning = asString(m.reasoning_content) ?? asString(m.reasoning)
  if (reasoning) out.push({ type: 'thinking', text: reasoning })
  if (typeof m.content === 'string') {
    if (m.content) out.push(textPart(m.content))
  } else {
    for (const p of asArray(m.content)) {
      if (!isObject(p)) continue
      const text = asString(p.text) ?? asString(p.refusal)
      if (text) out.push(textPart(text))
    }
  }
  if (typeof m.refusal === 'string' && m.refusal) out.push(textPart(m.refusal))
  for (const c of asArray(m.tool_calls)) {
    if (!isObject(c) || !isObject(c.function)) continue
    const args = c.function.arguments
    out.push({
      type: 'tool_call',
      id: asString(c.id) ?? '',
      name: asString(c.function.name) ?? '',
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    })
  }
  return out
}

function toolsToCanonical(tools: unknown): Tool[] {
  const out: Tool[] = []
  for (const t of asArray(tools)) {
    if (!isObject(t)) continue
    const f = t.function
    if (t.type !== 'function' || !isObject(f) || typeof f.name !== 'string') {
      out.push({ type: 'builtin', dialect: 'openai', value: t })
      continue
    }
    out.push(
      defined<Tool>({
        type: 'function',
        name: f.name,
        description: asString(f.description),
        parameters: isObject(f.parameters) ? f.parameters : emptySchema(),
        strict: asBoolean(f.strict),
      }),
    )
  }
  return out
}

function toolChoiceToCanonical(c: unknown): ToolChoice | undefined {
  if (c === 'auto' || c === 'none' || c === 'required') return c
  const f = isObject(c) && c.type === 'function' && isObject(c.function) ? c.function : {}
  return typeof f.name === 'string' ? { name: f.name } : undefined
}

function responseFormatToCanonical(f: unknown): ResponseFormat | undefined {
  if (!isObject(f)) return undefined
  if (f.type === 'text' || f.type === 'json_object') return { type: f.type }
  if (f.type !== 'json_schema' || !isObject(f.json_schema)) return undefined
  const s = f.json_schema
  return defined<ResponseFormat>({
    type: 'json_schema',
    name: asString(s.name) ?? 'response',
    schema: isObject(s.schema) ? s.schema : {},
    strict: asBoolean(s.strict),
    description: asString(s.description),
  })
}

function toCanonical(body: unknown): ChatRequest {
  if (!isObject(body) || !Array.isArray(body.messages)) {
    throw new GatewayError('invalid_request', '`messages` must be an array of messages', { param: 'messages' })
  }
  const system: TextPart[] = []
  const messages: Message[] = []
  for (const m of body.messages) {
    if (!isObject(m)) continue
    if (m.role === 'system' || m.role === 'developer') {
      const parts = textParts(m.content)
      if (messages.length === 0) system.push(...parts)
      else messages.push({ role: 'system', content: parts })
    } else if (m.role === 'user') messages.push({ role: 'user', content: userParts(m.content) })
    else if (m.role === 'assistant') messages.push({ role: 'assistant', content: assistantParts(m) })
    else if (m.role === 'tool') {
      const id = asString(m.tool_call_id) ?? ''
      const result: ToolResultPart = { type: 'tool_result', toolCallId: id, content: textParts(m.content) }
      const last = messages.at(-1)
      if (last?.role === 'tool') last.content.push(result)
      else messages.push({ role: 'tool', content: [result] })
    }
  }

  const extra = unknownFields(body, known) ?? {}
  const toolChoice = toolChoiceToCanonical(body.tool_choice)
  if (!toolChoice && body.tool_choice !== undefined) extra.tool_choice = body.tool_choice
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter(isString) : undefined
  const effort = asString(body.reasoning_effort)
  const thinking: ThinkingConfig | undefined =
    effort === 'none'
      ? { mode: 'disabled', effort }
      : effort && efforts.has(effort)
        ? { effort: effort as ReasoningEffort }
        : undefined
  return defined<ChatRequest>({
    model: asString(body.model) ?? '',
    system,
    messages,
    tools: toolsToCanonical(body.tools),
    toolChoice,
    parallelToolCalls: asBoolean(body.parallel_tool_calls),
    maxTokens: asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens),
    temperature: asNumber(body.temperature),
    topP: asNumber(body.top_p),
    stop,
    stream: body.stream === true,
    streamUsage: isObject(body.stream_options) && body.stream_options.include_usage === true ? true : undefined,
    thinking,
    responseFormat: responseFormatToCanonical(body.response_format),
    user: asString(body.user),
    metadata: isObject(body.metadata) ? (body.metadata as Record<string, string>) : undefined,
    extra: Object.keys(extra).length ? { openai: extra } : undefined,
  })
}

//#endregion

//#region from canonical

function userContent(parts: readonly Part[]): string | OpenAIChatContentPart[] | undefined {
  const out: OpenAIChatContentPart[] = []
  let textOnly = true
  for (const p of parts) {
    if (p.type === 'text') out.push({ type: 'text', text: p.text })
    else if (p.type === 'image') {
      textOnly = false
      out.push(imagePart(p))
    } else if (p.type === 'raw' && p.dialect === 'openai') {
      textOnly = false
      out.push(p.value as OpenAIChatContentPart)
    }
  }
  if (out.length === 0) return undefined
  if (textOnly && out.length === 1) return (out[0] as OpenAIChatTextPart).text
  return out
}

function imagePart(p: ImagePart): OpenAIChatContentPart {
  const url = imageSourceToUrl(p.source)
  return { type: 'image_url', image_url: p.detail ? { url, detail: p.detail } : { url } }
}

function messagesFromCanonical(r: ChatRequest, o: UpstreamOptions): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = []
  const system = joinText(r.system)
  if (system) out.push({ role: 'system', content: system })
  // Tool messages take text only: images from tool results lead the next user message (or make one).
  let images: OpenAIChatContentPart[] = []
  const flushImages = () => {
    if (images.length) out.push({ role: 'user', content: images })
    images = []
  }
  for (const m of r.messages) {
    if (m.role !== 'tool' && m.role !== 'user') flushImages()
    if (m.role === 'system') {
      const text = joinText(m.content)
      if (text) out.push({ role: 'system', content: text })
    } else if (m.role === 'user') {
      const content = userContent(m.content)
      if (images.length) {
        const parts = typeof content === 'string' ? [{ type: 'text' as const, text: content }] : (content ?? [])
        out.push({ role: 'user', content: [...images, ...parts] })
        images = []
      } else if (content !== undefined) out.push({ role: 'user', content })
    } else if (m.role === 'assistant') {
      const text = joinText(m.content)
      const calls = toolCalls(m.content).map(toolCallFromCanonical)
      if (!text && calls.length === 0) continue
      const message: OpenAIChatMessage = { role: 'assistant', content: text || null }
      if (calls.length) message.tool_calls = calls
      if (o.echoReasoning) {
        const reasoning = m.content.flatMap((p) => (p.type === 'thinking' && p.text ? [p.text] : [])).join('\n\n')
        if (reasoning) message.reasoning_content = reasoning
      }
      out.push(message)
    } else {
      for (const p of m.content) {
        if (p.type !== 'tool_result') continue
        out.push({ role: 'tool', tool_call_id: p.toolCallId, content: joinText(p.content) })
        for (const c of p.content) if (c.type === 'image') images.push(imagePart(c))
      }
    }
  }
  flushImages()
  return out
}

function toolsFromCanonical(tools: readonly Tool[]): OpenAIChatTool[] {
  const out: OpenAIChatTool[] = []
  for (const t of tools) {
    if (t.type === 'builtin') {
      if (t.dialect === 'openai') out.push(t.value as OpenAIChatTool)
      continue
    }
    const name = flatToolName({ name: t.name, namespace: t.namespace?.name })
    out.push({ type: 'function', function: defined({ name, description: t.description, parameters: t.parameters, strict: t.strict }) })
  }
  return out
}

/** Empty arguments become `{}`: clients JSON.parse them. */
export function toolCallFromCanonical(p: ToolCallPart): OpenAIChatToolCall {
  return { id: p.id, type: 'function', function: { name: flatToolName(p), arguments: p.arguments || '{}' } }
}

function toolChoiceFromCanonical(c: ToolChoice): OpenAIChatToolChoice {
  return typeof c === 'string' ? c : { type: 'function', function: { name: c.name } }
}

function responseFormatFromCanonical(f: ResponseFormat): OpenAIChatResponseFormat {
  if (f.type !== 'json_schema') return f
  const { name, schema, strict, description } = f
  return { type: 'json_schema', json_schema: defined({ name, schema, strict, description }) }
}

function fromCanonical(r: ChatRequest, o: UpstreamOptions = {}): OpenAIChatRequest {
  const tools = toolsFromCanonical(r.tools)
  const maxTokens = capTokens(r.maxTokens, o.maxOutputTokens)
  return defined<OpenAIChatRequest>({
    ...r.extra?.openai,
    model: r.model,
    messages: messagesFromCanonical(r, o),
    // OpenAI refuses tool_choice and parallel_tool_calls without tools.
    tools: tools.length ? tools : undefined,
    // A tool_choice canonical types do not model (allowed_tools) waits in `extra` for an OpenAI upstream.
    tool_choice: !tools.length
      ? undefined
      : r.toolChoice === undefined
        ? (r.extra?.openai?.tool_choice as OpenAIChatToolChoice | undefined)
        : toolChoiceFromCanonical(r.toolChoice),
    parallel_tool_calls: tools.length ? r.parallelToolCalls : undefined,
    [o.maxTokensField ?? 'max_tokens']: maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    stop: r.stop?.length ? r.stop : undefined,
    stream: r.stream || undefined,
    // Always asked for when streaming: the gateway records usage whatever the caller wanted to see.
    stream_options: r.stream ? { include_usage: true } : undefined,
    reasoning_effort: o.reasoning && r.thinking ? effortOf(r.thinking) : undefined,
    response_format: r.responseFormat && responseFormatFromCanonical(r.responseFormat),
    user: r.user,
  })
}

//#endregion

export const openAIRequest = { toCanonical, fromCanonical }
