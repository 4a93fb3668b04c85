/**
 * Canonical chat types: the middle every dialect converts to and from (TensorZero's idea).
 * Pure types plus two constants. Wire shapes live in `main/dialects/<dialect>/types.ts`.
 *
 * Usage rule: `inputTokens` counts every prompt token the upstream processed, cache reads and cache
 * writes included (OpenAI's `prompt_tokens` rule); `cacheReadTokens` and `cacheWriteTokens` are parts of
 * it. `outputTokens` includes `reasoningTokens`. Anthropic's `input_tokens` excludes cached tokens, so the
 * Anthropic converters add them on the way in and subtract them on the way out.
 */

/** The dialects callers speak to the gateway (one per endpoint family). */
export type CallerDialectId = 'openai' | 'anthropic' | 'responses'

/** Every wire dialect: the callers' plus the upstream-only Gemini generateContent and Bedrock Converse. */
export type DialectId = CallerDialectId | 'gemini' | 'converse'

/** Fields kept verbatim for the dialect they came from; every other dialect ignores them. */
export type Extra = { [D in DialectId]?: Record<string, unknown> }

export type CacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' }

//#region content parts

export type TextPart = { type: 'text'; text: string; cacheControl?: CacheControl }

export type ImageSource = { type: 'url'; url: string } | { type: 'base64'; mediaType: string; data: string }

export type ImagePart = { type: 'image'; source: ImageSource; detail?: 'auto' | 'low' | 'high'; cacheControl?: CacheControl }

/** `arguments` is the JSON text as the model wrote it (Anthropic's `input` object is stringified). */
export type ToolCallPart = {
  type: 'tool_call'
  id: string
  name: string
  /** Responses API namespace tools (`{type:'namespace'}`); flattened as `namespace__name` elsewhere. */
  namespace?: string
  arguments: string
  cacheControl?: CacheControl
}

export type ToolResultPart = {
  type: 'tool_result'
  toolCallId: string
  content: (TextPart | ImagePart | RawPart)[]
  isError?: boolean
  cacheControl?: CacheControl
}

/**
 * Model reasoning. The opaque proofs are kept per origin and only sent back to their own kind of
 * upstream: `signature` / `redactedData` to Anthropic, `reasoningId` / `encryptedContent` to Responses.
 */
export type ThinkingPart = {
  type: 'thinking'
  text: string
  signature?: string
  /** Anthropic `redacted_thinking` payload; `text` is empty. */
  redactedData?: string
  reasoningId?: string
  encryptedContent?: string
}

/** A block only its own dialect understands (Anthropic documents, server tool results…). */
export type RawPart = { type: 'raw'; dialect: DialectId; value: Record<string, unknown> }

export type Part = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart | RawPart

/** What an assistant turn (and a response) may hold. */
export type OutputPart = TextPart | ToolCallPart | ThinkingPart | RawPart

//#endregion

/**
 * `system` messages here are the ones placed between turns (Claude Code's `role: "system"` entries,
 * OpenAI system messages after the first turn); the leading system prompt is `ChatRequest.system`.
 * `tool` messages hold `tool_result` parts (and raw items of the dialect they came from).
 */
export type Message = { role: 'system' | 'user' | 'assistant' | 'tool'; content: Part[]; extra?: Extra }

export type ToolNamespace = { name: string; description?: string }

export type FunctionTool = {
  type: 'function'
  name: string
  namespace?: ToolNamespace
  description?: string
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>
  strict?: boolean
  cacheControl?: CacheControl
  extra?: Extra
}

/** A provider-hosted tool (web search, code execution…), sent only to its own dialect. */
export type BuiltinTool = { type: 'builtin'; dialect: DialectId; value: Record<string, unknown> }

export type Tool = FunctionTool | BuiltinTool

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string }

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max'

/** Reasoning settings; `effort` may come alone (OpenAI `reasoning_effort`, Anthropic `output_config.effort`). */
export type ThinkingConfig = {
  mode?: 'enabled' | 'adaptive' | 'disabled'
  budgetTokens?: number
  effort?: ReasoningEffort
  /** Responses `reasoning.summary`. */
  summary?: 'auto' | 'concise' | 'detailed'
  /** Anthropic `thinking.display`. */
  display?: 'summarized' | 'omitted'
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string }

export type ChatRequest = {
  model: string
  system: TextPart[]
  messages: Message[]
  tools: Tool[]
  toolChoice?: ToolChoice
  parallelToolCalls?: boolean
  maxTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  stop?: string[]
  stream: boolean
  /** OpenAI chat `stream_options.include_usage`: the caller wants a usage chunk. */
  streamUsage?: boolean
  thinking?: ThinkingConfig
  responseFormat?: ResponseFormat
  /** End-user id: OpenAI `user`, Anthropic `metadata.user_id`. */
  user?: string
  metadata?: Record<string, string>
  extra?: Extra
}

export type ChatUsage = {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

export const zeroUsage: ChatUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
})

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'content_filter'
  | 'pause'
  | 'refusal'
  | 'error'

export type ChatResponse = {
  id: string
  model: string
  /** Epoch seconds, when the upstream said. */
  created?: number
  content: OutputPart[]
  stopReason: StopReason
  stopSequence?: string
  usage: ChatUsage
}

export type ChatErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'timeout'
  | 'api_error'

export type ChatError = { kind: ChatErrorKind; message: string; status: number; code?: string; param?: string }

//#region stream events

export type BlockStart =
  | { type: 'text' }
  | { type: 'tool_call'; id: string; name: string; namespace?: string }
  | { type: 'thinking'; redactedData?: string; reasoningId?: string }

/**
 * One event of a streamed response. `index` is the block's position in the final content. Blocks are
 * opened in order and normally closed before the next opens; `usage` carries the cumulative figures so
 * far (the last one wins); `message_stop` or `error` ends the stream.
 */
export type ChatEvent =
  | { type: 'message_start'; id: string; model: string; created?: number }
  | { type: 'block_start'; index: number; block: BlockStart }
  /** `literal`: the text as the upstream wrote it, a JSON string literal with its quotes, when it came as one: a JSON writer copies it instead of escaping the text again. */
  | { type: 'text_delta'; index: number; text: string; literal?: string }
  | { type: 'tool_delta'; index: number; json: string }
  | { type: 'thinking_delta'; index: number; text: string }
  | { type: 'signature_delta'; index: number; signature: string }
  | { type: 'block_stop'; index: number }
  | { type: 'usage'; usage: ChatUsage }
  | { type: 'message_stop'; stopReason: StopReason; stopSequence?: string }
  | { type: 'error'; error: ChatError }

//#endregion

/** Separator for namespaced tool names in dialects without namespaces (Codex's MCP naming style). */
export const namespaceSeparator = '__'
