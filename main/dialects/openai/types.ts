/**
 * OpenAI Chat Completions wire types: the subset the gateway reads and writes.
 * https://platform.openai.com/docs/api-reference/chat
 * `reasoning_content` is the DeepSeek / vLLM / llama.cpp extension (`reasoning` on newer vLLM and Ollama).
 */

//#region request

export type OpenAIChatTextPart = { type: 'text'; text: string }
export type OpenAIChatImagePart = { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } }
export type OpenAIChatRefusalPart = { type: 'refusal'; refusal: string }
export type OpenAIChatContentPart = OpenAIChatTextPart | OpenAIChatImagePart | OpenAIChatRefusalPart

export type OpenAIChatToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } }

export type OpenAIChatSystemMessage = { role: 'system' | 'developer'; content: string | OpenAIChatTextPart[]; name?: string }
export type OpenAIChatUserMessage = { role: 'user'; content: string | OpenAIChatContentPart[]; name?: string }
export type OpenAIChatAssistantMessage = {
  role: 'assistant'
  content?: string | OpenAIChatContentPart[] | null
  tool_calls?: OpenAIChatToolCall[]
  reasoning_content?: string | null
  reasoning?: string | null
  refusal?: string | null
  name?: string
}
export type OpenAIChatToolMessage = { role: 'tool'; content: string | OpenAIChatTextPart[]; tool_call_id: string }
export type OpenAIChatMessage =
  | OpenAIChatSystemMessage
  | OpenAIChatUserMessage
  | OpenAIChatAssistantMessage
  | OpenAIChatToolMessage

export type OpenAIChatTool = {
  type: 'function'
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null }
}

export type OpenAIChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } }

export type OpenAIChatResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema'
      json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null; description?: string }
    }

export type OpenAIChatRequest = {
  model: string
  messages: OpenAIChatMessage[]
  tools?: OpenAIChatTool[]
  tool_choice?: OpenAIChatToolChoice
  parallel_tool_calls?: boolean
  max_tokens?: number
  max_completion_tokens?: number
  temperature?: number
  top_p?: number
  stop?: string | string[]
  stream?: boolean
  stream_options?: { include_usage?: boolean }
  reasoning_effort?: string
  response_format?: OpenAIChatResponseFormat
  user?: string
  metadata?: Record<string, string>
}

//#endregion

//#region response

export type OpenAIChatUsage = {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens?: number } | null
  completion_tokens_details?: { reasoning_tokens?: number } | null
  /** DeepSeek's names for cache hits. */
  prompt_cache_hit_tokens?: number
}

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call'

export type OpenAIChatResponse = {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: {
    index: number
    message: OpenAIChatAssistantMessage & { content: string | null }
    finish_reason: OpenAIFinishReason | null
    logprobs: null
  }[]
  usage?: OpenAIChatUsage
}

export type OpenAIChatToolCallDelta = {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export type OpenAIChatDelta = {
  role?: 'assistant'
  content?: string | null
  reasoning_content?: string | null
  reasoning?: string | null
  refusal?: string | null
  tool_calls?: OpenAIChatToolCallDelta[]
}

export type OpenAIChatChunk = {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: { index: number; delta: OpenAIChatDelta; finish_reason: OpenAIFinishReason | null; logprobs?: null }[]
  usage?: OpenAIChatUsage | null
}

export type OpenAIChatErrorBody = {
  error: { message: string; type: string; param: string | null; code: string | null }
}

//#endregion
