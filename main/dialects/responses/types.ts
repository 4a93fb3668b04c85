/**
 * OpenAI Responses API wire types: the subset the gateway reads and writes (what Codex and
 * `openai.responses.create` send and expect).
 * https://platform.openai.com/docs/api-reference/responses and .../responses-streaming
 */

//#region request

export type ResponsesInputText = { type: 'input_text'; text: string }
export type ResponsesInputImage = {
  type: 'input_image'
  image_url?: string
  file_id?: string
  detail?: 'auto' | 'low' | 'high'
}
export type ResponsesOutputText = { type: 'output_text'; text: string; annotations: unknown[] }
export type ResponsesRefusal = { type: 'refusal'; refusal: string }
/** Items and content parts the gateway carries without reading (web_search_call, input_file…). */
export type ResponsesOther = { type: string; [field: string]: unknown }

export type ResponsesMessageItem = {
  type: 'message'
  role: 'user' | 'system' | 'developer' | 'assistant'
  content: string | (ResponsesInputText | ResponsesInputImage | ResponsesOutputText | ResponsesRefusal | ResponsesOther)[]
  id?: string
  status?: 'in_progress' | 'completed' | 'incomplete'
}

export type ResponsesFunctionCallItem = {
  type: 'function_call'
  call_id: string
  name: string
  arguments: string
  namespace?: string
  id?: string
  status?: 'in_progress' | 'completed' | 'incomplete'
}

export type ResponsesFunctionCallOutputItem = {
  type: 'function_call_output'
  call_id: string
  output: string | (ResponsesInputText | ResponsesInputImage | ResponsesOther)[]
}

export type ResponsesReasoningItem = {
  type: 'reasoning'
  id: string
  summary: { type: 'summary_text'; text: string }[]
  content?: { type: 'reasoning_text'; text: string }[]
  encrypted_content?: string | null
  status?: 'in_progress' | 'completed' | 'incomplete'
}

export type ResponsesInputItem =
  | ResponsesMessageItem
  | ResponsesFunctionCallItem
  | ResponsesFunctionCallOutputItem
  | ResponsesReasoningItem
  | ResponsesOther

export type ResponsesFunctionTool = {
  type: 'function'
  name: string
  description?: string
  parameters: Record<string, unknown>
  strict: boolean
}

/** Function tools grouped under a name the model calls them by (`function_call.namespace`). */
export type ResponsesNamespaceTool = { type: 'namespace'; name: string; description?: string; tools: ResponsesFunctionTool[] }

export type ResponsesTool = ResponsesFunctionTool | ResponsesNamespaceTool | ResponsesOther

export type ResponsesToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string }

export type ResponsesTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string }

export type ResponsesRequest = {
  model: string
  input: string | ResponsesInputItem[]
  instructions?: string
  tools?: ResponsesTool[]
  tool_choice?: ResponsesToolChoice
  parallel_tool_calls?: boolean
  max_output_tokens?: number
  temperature?: number
  top_p?: number
  stream?: boolean
  reasoning?: { effort?: string; summary?: string }
  text?: { format?: ResponsesTextFormat; [field: string]: unknown }
  user?: string
  metadata?: Record<string, string>
  store?: boolean
}

//#endregion

//#region response

export type ResponsesUsage = {
  input_tokens: number
  input_tokens_details: { cached_tokens: number; cache_write_tokens?: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

export type ResponsesOutputMessage = {
  type: 'message'
  id: string
  role: 'assistant'
  status: 'in_progress' | 'completed' | 'incomplete'
  content: (ResponsesOutputText | ResponsesRefusal)[]
}

export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesFunctionCallItem | ResponsesReasoningItem | ResponsesOther

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed'

export type ResponsesResponse = {
  id: string
  object: 'response'
  created_at: number
  status: ResponsesStatus
  model: string
  output: ResponsesOutputItem[]
  usage: ResponsesUsage | null
  error: { code: string; message: string } | null
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null
  instructions: string | null
  metadata: Record<string, string>
  parallel_tool_calls: boolean
  temperature: number | null
  top_p: number | null
  tool_choice: ResponsesToolChoice
  tools: ResponsesTool[]
  max_output_tokens: number | null
}

//#endregion
