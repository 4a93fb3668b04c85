/**
 * Amazon Bedrock Converse / ConverseStream wire types: the subset the gateway reads and writes. Blocks
 * are unions by key (`{text}`, `{image}`, `{toolUse}`…), not by a `type` field. The model id is in the
 * URL (`/model/{modelId}/converse`), never in the body.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html and
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html
 */

//#region request

export type ConverseImageFormat = 'png' | 'jpeg' | 'gif' | 'webp'

/** `bytes` is base64 in the JSON mapping; `s3Location` points at an object the caller's role may read. */
export type ConverseImageSource = { bytes: string } | { s3Location: { uri: string; bucketOwner?: string } }

export type ConverseImageBlock = { format: ConverseImageFormat; source: ConverseImageSource }

export type ConverseToolUseBlock = { toolUseId: string; name: string; input: unknown }

export type ConverseToolResultContent = { text: string } | { json: unknown } | { image: ConverseImageBlock } | Record<string, unknown>

export type ConverseToolResultBlock = { toolUseId: string; content: ConverseToolResultContent[]; status?: 'success' | 'error' }

/** Either the reasoning text (with Claude's signature) or an encrypted `redactedContent` (base64). */
export type ConverseReasoningBlock = { reasoningText: { text: string; signature?: string } } | { redactedContent: string }

/** Marks the end of a cacheable prefix (prompt caching). */
export type ConverseCachePoint = { type: 'default' }

/** One content block: exactly one of the keys. */
export type ConverseContentBlock = {
  text?: string
  image?: ConverseImageBlock
  toolUse?: ConverseToolUseBlock
  toolResult?: ConverseToolResultBlock
  reasoningContent?: ConverseReasoningBlock
  cachePoint?: ConverseCachePoint
  [field: string]: unknown
}

export type ConverseMessage = { role: 'user' | 'assistant'; content: ConverseContentBlock[] }

export type ConverseSystemBlock = { text?: string; cachePoint?: ConverseCachePoint; [field: string]: unknown }

export type ConverseToolSpec = { name: string; description?: string; inputSchema: { json: Record<string, unknown> } }

export type ConverseTool = { toolSpec?: ConverseToolSpec; cachePoint?: ConverseCachePoint; [field: string]: unknown }

/** `auto` (the default), `any` (some tool must be called) or one named `tool`; no "none". */
export type ConverseToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } }

export type ConverseToolConfig = { tools: ConverseTool[]; toolChoice?: ConverseToolChoice }

export type ConverseInferenceConfig = { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] }

export type ConverseRequest = {
  messages: ConverseMessage[]
  system?: ConverseSystemBlock[]
  inferenceConfig?: ConverseInferenceConfig
  toolConfig?: ConverseToolConfig
  /** Model-specific fields (Claude's `thinking`, `top_k`; Nova's `reasoningConfig`…). */
  additionalModelRequestFields?: Record<string, unknown>
  requestMetadata?: Record<string, string>
  [field: string]: unknown
}

//#endregion

//#region response

export type ConverseStopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'malformed_model_output'
  | 'malformed_tool_use'
  | 'model_context_window_exceeded'

/**
 * `inputTokens` excludes the cache reads and writes (as Anthropic's `input_tokens` does);
 * `totalTokens` is all four added up.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export type ConverseUsage = {
  inputTokens: number
  outputTokens: number
  totalTokens: number
  cacheReadInputTokens?: number
  cacheWriteInputTokens?: number
}

export type ConverseResponse = {
  output: { message: ConverseMessage }
  stopReason: ConverseStopReason | string
  usage: ConverseUsage
  metrics?: { latencyMs: number }
  additionalModelResponseFields?: unknown
  [field: string]: unknown
}

/**
 * Bedrock's error body is `{"message"}` with the type in `x-amzn-ErrorType`; the Bedrock transport folds
 * that header into `__type` (the AWS JSON protocol's own field) before the dialect reads it.
 */
export type ConverseErrorBody = { __type?: string; message: string }

//#endregion
