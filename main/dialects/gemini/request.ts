/**
 * Gemini generateContent requests ⇄ canonical ChatRequest. Pure.
 * Out (the direction the gateway uses: every caller dialect → a Gemini upstream): the system prompt
 * becomes `systemInstruction`, mid-conversation system entries become user text, tool results become
 * `functionResponse` parts named after the call they answer, consecutive turns of one role are merged,
 * thinking text is dropped (Gemini takes only its own thought signatures back, which ride on the tool
 * call ids, see `geminiToolCallId`), function declarations carry the caller's JSON Schema as
 * `parametersJsonSchema`, and the model name stays out of the body (it is in the URL).
 * In: the inverse, for round trips; unknown top-level and generationConfig fields are kept for Gemini.
 * https://ai.google.dev/api/generate-content#request-body and https://ai.google.dev/gemini-api/docs/function-calling
 */
import { GatewayError } from '../../errors/GatewayError.ts'
import type {
  ChatRequest,
  FunctionTool,
  ImagePart,
  Message,
  Part,
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
import { capTokens, emptySchema, flatToolName, joinText, parseArguments, textPart } from '../parts.ts'
import type {
  GeminiContent,
  GeminiFunctionCall,
  GeminiFunctionDeclaration,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiThinkingConfig,
  GeminiTool,
  GeminiToolConfig,
} from './types.ts'

const known = new Set(['contents', 'systemInstruction', 'system_instruction', 'tools', 'toolConfig', 'generationConfig', 'model'])
const knownConfig = new Set([
  'stopSequences', 'maxOutputTokens', 'temperature', 'topP', 'topK', 'thinkingConfig', 'responseMimeType', 'responseSchema', 'responseJsonSchema',
])

//#region tool call ids

const signatureMark = '__thought__'

/**
 * A canonical id for a Gemini function call: Gemini's own `id` when it sent one, else one made from the
 * response id and the call's position. A thought signature on the part (Gemini 2.5+ and 3 send one on
 * the first call of a turn, and Gemini 3 refuses the next turn without it) is appended base64url, so
 * every caller dialect hands it back with the call and `fromCanonical` restores it. The id stays within
 * `[A-Za-z0-9_-]`, which Anthropic requires of tool ids.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export function geminiToolCallId(call: GeminiFunctionCall, signature: string | undefined, fallback: string): string {
  const base = (call.id ?? fallback).replace(/[^A-Za-z0-9_-]/g, '_')
  return signature ? `${base}${signatureMark}${Buffer.from(signature, 'base64').toString('base64url')}` : base
}

/** The id without its signature, and the signature (base64) when there is one. */
export function splitToolCallId(id: string): { id: string; signature?: string } {
  const at = id.indexOf(signatureMark)
  if (at < 0) return { id }
  const encoded = id.slice(at + signatureMark.length)
  return encoded ? { id: id.slice(0, at), signature: Buffer.from(encoded, 'base64url').toString('base64') } : { id: id.slice(0, at) }
}

/** `call_<response id>_<n>`, the fallback id of the n-th call in a response. */
export function fallbackToolCallId(responseId: string, n: number): string {
  return responseId ? `call_${responseId}_${n}` : `call_${n}`
}

//#endregion

//#region to canonical

/** `field(o, 'systemInstruction')` also finds `system_instruction` (the proto JSON mapping accepts both). */
function field(o: JsonObject, camel: string): unknown {
  return o[camel] ?? o[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]
}

/** A Gemini part (not a functionResponse) as a canonical part. */
export function geminiPartToCanonical(p: JsonObject, fallbackId: string): Part {
  const text = asString(p.text)
  if (text !== undefined) return p.thought === true ? { type: 'thinking', text } : textPart(text)
  const inline = field(p, 'inlineData')
  if (isObject(inline) && isString(inline.data)) {
    const mediaType = asString(field(inline, 'mimeType')) ?? 'application/octet-stream'
    if (mediaType.startsWith('image/')) return { type: 'image', source: { type: 'base64', mediaType, data: inline.data } }
  }
  const file = field(p, 'fileData')
  if (isObject(file) && isString(field(file, 'fileUri')) && (asString(field(file, 'mimeType')) ?? 'image/').startsWith('image/')) {
    return { type: 'image', source: { type: 'url', url: field(file, 'fileUri') as string } }
  }
  const call = field(p, 'functionCall')
  if (isObject(call) && isString(call.name)) {
    const fc: GeminiFunctionCall = { name: call.name, ...(isString(call.id) ? { id: call.id } : {}) }
    const signature = asString(field(p, 'thoughtSignature'))
    return { type: 'tool_call', id: geminiToolCallId(fc, signature, fallbackId), name: call.name, arguments: JSON.stringify(isObject(call.args) ? call.args : {}) }
  }
  return { type: 'raw', dialect: 'gemini', value: p }
}

/** `{output}` and `{error}` (Google's documented keys) become the result's text; anything else its JSON. */
function toolResultOf(r: JsonObject, toolCallId: string): ToolResultPart {
  const response = isObject(r.response) ? r.response : {}
  const keys = Object.keys(response)
  const only = keys.length === 1 ? keys[0] : undefined
  const value = only === 'output' || only === 'error' ? response[only] : response
  const result: ToolResultPart = { type: 'tool_result', toolCallId, content: [textPart(typeof value === 'string' ? value : JSON.stringify(value))] }
  if (only === 'error') result.isError = true
  return result
}

function messagesToCanonical(contents: unknown[]): Message[] {
  const out: Message[] = []
  const unanswered: ToolCallPart[] = []
  let calls = 0
  for (const c of contents) {
    if (!isObject(c)) continue
    const role = c.role === 'model' ? 'assistant' : 'user'
    for (const p of asArray(c.parts)) {
      if (!isObject(p)) continue
      const fr = field(p, 'functionResponse')
      let part: Part
      let target: Message['role'] = role
      if (isObject(fr)) {
        const name = asString(fr.name) ?? ''
        const byId = isString(fr.id) ? unanswered.findIndex((t) => splitToolCallId(t.id).id === fr.id) : -1
        const at = byId >= 0 ? byId : unanswered.findIndex((t) => t.name === name)
        const answered = at >= 0 ? unanswered.splice(at, 1)[0] : undefined
        part = toolResultOf(fr, answered?.id ?? (asString(fr.id) || name))
        target = 'tool'
      } else {
        part = geminiPartToCanonical(p, `call_${calls}`)
        if (part.type === 'tool_call') {
          calls++
          unanswered.push(part)
        }
      }
      const last = out.at(-1)
      if (last?.role === target) last.content.push(part)
      else out.push({ role: target, content: [part] })
    }
  }
  return out
}

function toolsToCanonical(tools: unknown): Tool[] {
  const out: Tool[] = []
  for (const t of asArray(tools)) {
    if (!isObject(t)) continue
    const declarations = field(t, 'functionDeclarations')
    if (!Array.isArray(declarations)) {
      out.push({ type: 'builtin', dialect: 'gemini', value: t })
      continue
    }
    for (const d of declarations) {
      if (!isObject(d) || !isString(d.name)) continue
      const schema = field(d, 'parametersJsonSchema') ?? d.parameters
      out.push(defined<FunctionTool>({ type: 'function', name: d.name, description: asString(d.description), parameters: isObject(schema) ? schema : emptySchema() }))
    }
  }
  return out
}

function toolChoiceToCanonical(config: unknown): ToolChoice | undefined {
  const calling = isObject(config) ? field(config, 'functionCallingConfig') : undefined
  if (!isObject(calling)) return undefined
  const names = asArray(field(calling, 'allowedFunctionNames')).filter(isString)
  if (calling.mode === 'NONE') return 'none'
  if (calling.mode === 'ANY') return names.length === 1 && names[0] ? { name: names[0] } : 'required'
  return calling.mode === 'AUTO' || calling.mode === 'VALIDATED' ? 'auto' : undefined
}

function thinkingToCanonical(t: unknown): ThinkingConfig | undefined {
  if (!isObject(t)) return undefined
  const budget = asNumber(field(t, 'thinkingBudget'))
  const out: ThinkingConfig = {}
  if (budget === 0) out.mode = 'disabled'
  else if (budget === -1) out.mode = 'adaptive'
  else if (budget !== undefined) {
    out.mode = 'enabled'
    out.budgetTokens = budget
  }
  const level = asString(field(t, 'thinkingLevel'))
  if (level === 'low' || level === 'medium' || level === 'high' || level === 'minimal') out.effort = level
  if (asBoolean(field(t, 'includeThoughts')) === false && out.mode !== 'disabled') out.display = 'omitted'
  return Object.keys(out).length ? out : undefined
}

function responseFormatToCanonical(g: JsonObject): ResponseFormat | undefined {
  if (field(g, 'responseMimeType') !== 'application/json') return undefined
  const schema = field(g, 'responseJsonSchema') ?? field(g, 'responseSchema')
  return isObject(schema) ? { type: 'json_schema', name: 'response', schema } : { type: 'json_object' }
}

function toCanonical(body: unknown): ChatRequest {
  if (!isObject(body) || !Array.isArray(body.contents)) {
    throw new GatewayError('invalid_request', 'contents: Field required (an array of contents)', { param: 'contents' })
  }
  const system: TextPart[] = []
  const instruction = field(body, 'systemInstruction')
  for (const p of isObject(instruction) ? asArray(instruction.parts) : []) {
    if (isObject(p) && isString(p.text)) system.push(textPart(p.text))
  }
  const g = isObject(field(body, 'generationConfig')) ? (field(body, 'generationConfig') as JsonObject) : {}
  const extra = unknownFields(body, known) ?? {}
  const extraConfig = unknownFields(g, knownConfig)
  if (extraConfig) extra.generationConfig = extraConfig
  const stop = field(g, 'stopSequences')
  return defined<ChatRequest>({
    model: asString(body.model)?.replace(/^models\//, '') ?? '',
    system,
    messages: messagesToCanonical(body.contents),
    tools: toolsToCanonical(body.tools),
    toolChoice: toolChoiceToCanonical(field(body, 'toolConfig')),
    maxTokens: asNumber(field(g, 'maxOutputTokens')),
    temperature: asNumber(g.temperature),
    topP: asNumber(field(g, 'topP')),
    topK: asNumber(field(g, 'topK')),
    stop: Array.isArray(stop) ? stop.filter(isString) : undefined,
    stream: false,
    thinking: thinkingToCanonical(field(g, 'thinkingConfig')),
    responseFormat: responseFormatToCanonical(g),
    extra: Object.keys(extra).length ? { gemini: extra } : undefined,
  })
}

//#endregion

//#region from canonical

/** Guessed from the URL's extension; Gemini needs a MIME type with every file. */
function mimeTypeOfUrl(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase()
  const types: Record<string, string> = { png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif', jpg: 'image/jpeg', jpeg: 'image/jpeg' }
  return (ext && types[ext]) ?? 'image/jpeg'
}

function imagePart(p: ImagePart): GeminiPart {
  const s = p.source
  return s.type === 'base64' ? { inlineData: { mimeType: s.mediaType, data: s.data } } : { fileData: { mimeType: mimeTypeOfUrl(s.url), fileUri: s.url } }
}

/** A tool result's `response` object: a JSON object as it is, other text under `output` (or `error`). */
function responseOf(p: ToolResultPart): Record<string, unknown> {
  const text = joinText(p.content, '\n')
  if (!p.isError && text.trimStart().startsWith('{')) {
    try {
      const v: unknown = JSON.parse(text)
      if (isObject(v)) return v
    } catch {
      // not JSON: sent as text
    }
  }
  return p.isError ? { error: text } : { output: text }
}

function partsFromCanonical(p: Part, names: ReadonlyMap<string, string>): GeminiPart[] {
  switch (p.type) {
    case 'text':
      return p.text ? [{ text: p.text }] : []
    case 'image':
      return [imagePart(p)]
    case 'tool_call': {
      const { signature } = splitToolCallId(p.id)
      const call: GeminiPart = { functionCall: { name: flatToolName(p), args: parseArguments(p.arguments) } }
      return [signature ? { ...call, thoughtSignature: signature } : call]
    }
    case 'tool_result': {
      const name = names.get(p.toolCallId) ?? splitToolCallId(p.toolCallId).id
      const images = p.content.filter((c): c is ImagePart => c.type === 'image').map(imagePart)
      return [{ functionResponse: { name, response: responseOf(p) } }, ...images]
    }
    case 'thinking':
      return []
    case 'raw':
      return p.dialect === 'gemini' ? [p.value as GeminiPart] : []
  }
}

function contentsFromCanonical(messages: readonly Message[]): GeminiContent[] {
  const names = new Map<string, string>()
  for (const m of messages) for (const p of m.content) if (p.type === 'tool_call') names.set(p.id, flatToolName(p))
  const out: GeminiContent[] = []
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user'
    const parts = m.content.flatMap((p) => partsFromCanonical(p, names))
    if (parts.length === 0) continue
    const last = out.at(-1)
    if (last?.role === role) last.parts.push(...parts)
    else out.push({ role, parts })
  }
  return out
}

function toolsFromCanonical(tools: readonly Tool[]): GeminiTool[] {
  const declarations: GeminiFunctionDeclaration[] = []
  const builtins: GeminiTool[] = []
  for (const t of tools) {
    if (t.type === 'builtin') {
      if (t.dialect === 'gemini') builtins.push(t.value as GeminiTool)
      continue
    }
    const schema = Object.keys(t.parameters).length ? t.parameters : undefined
    declarations.push(defined<GeminiFunctionDeclaration>({
      name: flatToolName({ name: t.name, namespace: t.namespace?.name }),
      description: t.description,
      parametersJsonSchema: schema,
    }))
  }
  return declarations.length ? [{ functionDeclarations: declarations }, ...builtins] : builtins
}

function toolConfigFromCanonical(c: ToolChoice | undefined): GeminiToolConfig | undefined {
  if (c === undefined) return undefined
  if (c === 'auto') return { functionCallingConfig: { mode: 'AUTO' } }
  if (c === 'none') return { functionCallingConfig: { mode: 'NONE' } }
  if (c === 'required') return { functionCallingConfig: { mode: 'ANY' } }
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [c.name] } }
}

/** Effort words as thinking budgets, within what Gemini 2.5 Flash and Pro accept (128–32768). */
const budgetOfEffort = { none: 0, minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 32768, max: 32768 }

/** Thoughts count against `maxOutputTokens` (as Anthropic's budget does against `max_tokens`): the budget stays below it. */
function thinkingFromCanonical(t: ThinkingConfig, maxOutputTokens: number | undefined): GeminiThinkingConfig | undefined {
  if (t.mode === 'disabled' || t.effort === 'none') return { thinkingBudget: 0 }
  const includeThoughts = t.display !== 'omitted'
  if (t.mode === 'adaptive') return { includeThoughts, thinkingBudget: -1 }
  const wanted = t.budgetTokens ?? (t.effort ? budgetOfEffort[t.effort] : undefined)
  const budget = wanted !== undefined && maxOutputTokens !== undefined ? Math.min(wanted, Math.max(0, maxOutputTokens - 1)) : wanted
  return budget === undefined ? (t.mode === 'enabled' ? { includeThoughts } : undefined) : { includeThoughts, thinkingBudget: budget }
}

function formatFromCanonical(f: ResponseFormat | undefined): Pick<GeminiGenerationConfig, 'responseMimeType' | 'responseJsonSchema'> {
  if (f?.type === 'json_object') return { responseMimeType: 'application/json' }
  if (f?.type === 'json_schema') return { responseMimeType: 'application/json', responseJsonSchema: f.schema }
  return {}
}

function fromCanonical(r: ChatRequest, o: UpstreamOptions = {}): GeminiGenerateContentRequest {
  const extra = r.extra?.gemini ?? {}
  const { generationConfig: extraConfig, ...rest } = extra
  const tools = toolsFromCanonical(r.tools)
  const hasFunctions = tools.some((t) => t.functionDeclarations)
  const maxOutputTokens = capTokens(r.maxTokens, o.maxOutputTokens)
  const generationConfig = defined<GeminiGenerationConfig>({
    ...(isObject(extraConfig) ? extraConfig : {}),
    maxOutputTokens,
    temperature: r.temperature === undefined ? undefined : Math.min(2, Math.max(0, r.temperature)),
    topP: r.topP,
    topK: r.topK,
    // Gemini takes at most five stop sequences.
    stopSequences: r.stop?.length ? r.stop.slice(0, 5) : undefined,
    thinkingConfig: o.reasoning && r.thinking ? thinkingFromCanonical(r.thinking, maxOutputTokens) : undefined,
    ...formatFromCanonical(r.responseFormat),
  })
  const system = r.system.filter((p) => p.text).map((p) => ({ text: p.text }))
  return defined<GeminiGenerateContentRequest>({
    ...rest,
    contents: contentsFromCanonical(r.messages),
    systemInstruction: system.length ? { parts: system } : undefined,
    tools: tools.length ? tools : undefined,
    toolConfig: hasFunctions ? toolConfigFromCanonical(r.toolChoice) : undefined,
    generationConfig: Object.keys(generationConfig).length ? generationConfig : undefined,
  })
}

//#endregion

export const geminiRequest = { toCanonical, fromCanonical }
