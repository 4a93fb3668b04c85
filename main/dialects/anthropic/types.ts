/**
 * Anthropic Messages API wire types: the subset the gateway reads and writes.
 * https://docs.claude.com/en/api/messages and https://docs.claude.com/en/docs/build-with-claude/streaming
 */

//#region request

export type AnthropicCacheControl = { type: 'ephemeral'; ttl?: '5m' | '1h' }

export type AnthropicTextBlock = { type: 'text'; text: string; cache_control?: AnthropicCacheControl }
export type AnthropicImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
export type AnthropicImageBlock = { type: 'image'; source: AnthropicImageSource; cache_control?: AnthropicCacheControl }
export type AnthropicToolUseBlock = {
  type: 'tool_use'
  id: string
  name: string
  input: Record<string, unknown>
  cache_control?: AnthropicCacheControl
}
export type AnthropicToolResultBlock = {
  type: 'tool_result'
  tool_use_id: string
  content?: string | (AnthropicTextBlock | AnthropicImageBlock)[]
  is_error?: boolean
  cache_control?: AnthropicCacheControl
}
export type AnthropicThinkingBlock = { type: 'thinking'; thinking: string; signature: string }
export type AnthropicRedactedThinkingBlock = { type: 'redacted_thinking'; data: string }
/** Blocks the gateway carries without reading (documents, server tool use and results…). */
export type AnthropicOtherBlock = { type: string; [field: string]: unknown }

export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock

export type AnthropicMessage = {
  role: 'user' | 'assistant' | 'system'
  content: string | (AnthropicContentBlock | AnthropicOtherBlock)[]
  [field: string]: unknown
}

export type AnthropicTool = {
  name: string
  description?: string
  input_schema: Record<string, unknown>
  cache_control?: AnthropicCacheControl
  strict?: boolean
  [field: string]: unknown
}

export type AnthropicToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' }

export type AnthropicThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' }
  | { type: 'disabled' }

export type AnthropicMessagesRequest = {
  model: string
  messages: AnthropicMessage[]
  max_tokens: number
  system?: string | AnthropicTextBlock[]
  metadata?: { user_id?: string }
  stop_sequences?: string[]
  stream?: boolean
  temperature?: number
  top_p?: number
  top_k?: number
  tools?: (AnthropicTool | AnthropicOtherBlock)[]
  tool_choice?: AnthropicToolChoice
  thinking?: AnthropicThinkingConfig
  output_config?: {
    effort?: string
    format?: { type: 'json_schema'; schema: Record<string, unknown> }
    [field: string]: unknown
  }
}

//#endregion

//#region response

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'

/** `input_tokens` excludes the cache reads and writes counted beside it. */
export type AnthropicUsage = {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
  output_tokens_details?: { thinking_tokens: number }
}

export type AnthropicMessagesResponse = {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: (AnthropicContentBlock | AnthropicOtherBlock)[]
  stop_reason: AnthropicStopReason | null
  stop_sequence: string | null
  usage: AnthropicUsage
}

export type AnthropicErrorBody = { type: 'error'; error: { type: string; message: string } }

//#endregion
