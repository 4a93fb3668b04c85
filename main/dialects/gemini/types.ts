/**
 * Gemini generateContent wire types (Gemini API and Vertex AI share them): the subset the gateway reads
 * and writes. Field names are the REST (camelCase) JSON mapping of the protos.
 * https://ai.google.dev/api/generate-content and https://ai.google.dev/api/caching#Content
 */

//#region request

export type GeminiInlineData = { mimeType: string; data: string }
export type GeminiFileData = { mimeType?: string; fileUri: string }
export type GeminiFunctionCall = { id?: string; name: string; args?: Record<string, unknown> }
export type GeminiFunctionResponse = { id?: string; name: string; response: Record<string, unknown> }

/** One part: exactly one of the data fields, plus the thought flags. */
export type GeminiPart = {
  text?: string
  /** The part is a thought summary (`thinkingConfig.includeThoughts`). */
  thought?: boolean
  /** Opaque, base64: the model's reasoning state, to be sent back on the same part next turn. */
  thoughtSignature?: string
  inlineData?: GeminiInlineData
  fileData?: GeminiFileData
  functionCall?: GeminiFunctionCall
  functionResponse?: GeminiFunctionResponse
  [field: string]: unknown
}

export type GeminiContent = { role?: 'user' | 'model'; parts: GeminiPart[] }

export type GeminiFunctionDeclaration = {
  name: string
  description?: string
  /** OpenAPI 3.0 schema subset. */
  parameters?: Record<string, unknown>
  /** Full JSON Schema; exclusive with `parameters`. */
  parametersJsonSchema?: Record<string, unknown>
}

/** `functionDeclarations`, or a built-in tool (`googleSearch`, `codeExecution`, `urlContext`…). */
export type GeminiTool = { functionDeclarations?: GeminiFunctionDeclaration[]; [field: string]: unknown }

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED'

export type GeminiToolConfig = {
  functionCallingConfig?: { mode?: GeminiFunctionCallingMode; allowedFunctionNames?: string[] }
}

export type GeminiThinkingConfig = {
  includeThoughts?: boolean
  /** Tokens; 0 turns thinking off (where the model allows), -1 lets the model decide. */
  thinkingBudget?: number
  /** Gemini 3: `low` | `high`. */
  thinkingLevel?: string
}

export type GeminiGenerationConfig = {
  stopSequences?: string[]
  responseMimeType?: string
  responseSchema?: Record<string, unknown>
  responseJsonSchema?: Record<string, unknown>
  candidateCount?: number
  maxOutputTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  seed?: number
  presencePenalty?: number
  frequencyPenalty?: number
  thinkingConfig?: GeminiThinkingConfig
  [field: string]: unknown
}

export type GeminiGenerateContentRequest = {
  contents: GeminiContent[]
  systemInstruction?: GeminiContent
  tools?: GeminiTool[]
  toolConfig?: GeminiToolConfig
  generationConfig?: GeminiGenerationConfig
  safetySettings?: unknown[]
  cachedContent?: string
  [field: string]: unknown
}

//#endregion

//#region response

export type GeminiFinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'UNEXPECTED_TOOL_CALL'
  | 'TOO_MANY_TOOL_CALLS'

export type GeminiCandidate = {
  content?: GeminiContent
  finishReason?: GeminiFinishReason
  finishMessage?: string
  index?: number
  [field: string]: unknown
}

/**
 * `promptTokenCount` includes `cachedContentTokenCount`; `candidatesTokenCount` excludes
 * `thoughtsTokenCount`. https://ai.google.dev/api/generate-content#UsageMetadata
 */
export type GeminiUsageMetadata = {
  promptTokenCount?: number
  candidatesTokenCount?: number
  totalTokenCount?: number
  cachedContentTokenCount?: number
  thoughtsTokenCount?: number
  toolUsePromptTokenCount?: number
  [field: string]: unknown
}

export type GeminiGenerateContentResponse = {
  candidates?: GeminiCandidate[]
  promptFeedback?: { blockReason?: string; [field: string]: unknown }
  usageMetadata?: GeminiUsageMetadata
  modelVersion?: string
  responseId?: string
  /** Vertex AI only. */
  createTime?: string
}

/** https://cloud.google.com/apis/design/errors#http_mapping */
export type GeminiErrorBody = { error: { code: number; message: string; status: string; details?: unknown[] } }

//#endregion
