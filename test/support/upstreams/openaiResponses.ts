// OpenAI wire-format builders shared by the fake upstreams: deterministic token math, reply text,
// response bodies, stream chunks, embeddings and error bodies, shaped like OpenAI's API reference.
import { randomBytes } from 'node:crypto';

export type JsonObject = Record<string, unknown>;
export type ErrorBody = { error: { message: string; type: string | null; param: string | null; code: string | null } };
export type ChatMessage = { role: string; text: string };
export type ToolCall = { id: string; name: string; arguments: string };

export const SYSTEM_FINGERPRINT = 'fp_5f8a1c2b3d';
export const DEFAULT_EMBEDDING_DIMENSIONS = 16;
/** Per-message overhead added to the word count of chat prompts. */
export const TOKENS_PER_MESSAGE = 3;

export const isRecord = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
export const newId = (prefix: string): string => prefix + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x');

export function countWords(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** Text of a message content: a string, or the `text` parts of a content-part array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((p) => (isRecord(p) && typeof p['text'] === 'string' ? [p['text']] : [])).join(' ');
}

export function readMessages(body: JsonObject): ChatMessage[] {
  const raw = Array.isArray(body['messages']) ? body['messages'] : [];
  return raw.filter(isRecord).map((m) => ({ role: String(m['role'] ?? ''), text: textOf(m['content']) }));
}

/** prompt_tokens for chat = words in every message + TOKENS_PER_MESSAGE per message. */
export const chatPromptTokens = (messages: ChatMessage[]): number =>
  messages.reduce((n, m) => n + countWords(m.text) + TOKENS_PER_MESSAGE, 0);

/** cached_tokens = half the prompt (rounded down) when the request is a cache hit, else 0. */
export const cachedTokensFor = (promptTokens: number, hit: boolean): number => (hit ? Math.floor(promptTokens / 2) : 0);

export const replyText = (model: string, input: string): string => `Hello from ${model}: ${input.trim()}`;

/** Stream pieces: one per word, each keeping its leading whitespace so the pieces concatenate to the text. */
export const splitWords = (text: string): string[] => text.match(/\s*\S+/g) ?? [];

export function chunkString(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function chatUsage(prompt: number, completion: number, cached: number): JsonObject {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export const plainUsage = (prompt: number, completion: number): JsonObject => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

const toolCallJson = (c: ToolCall): JsonObject => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } });

export function chatCompletionBody(id: string, model: string, content: string | null, toolCall: ToolCall | undefined, finish: string, usage: JsonObject): JsonObject {
  const message: JsonObject = { role: 'assistant', content, refusal: null, annotations: [] };
  if (toolCall) message['tool_calls'] = [toolCallJson(toolCall)];
  return {
    id,
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/** One chat.completion.chunk; `usage` undefined omits the field (OpenAI without include_usage). */
export function chatChunk(id: string, created: number, model: string, choices: JsonObject[], usage: JsonObject | null | undefined): JsonObject {
  const chunk: JsonObject = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: SYSTEM_FINGERPRINT, choices };
  if (usage !== undefined) chunk['usage'] = usage;
  return chunk;
}

export const chatChoiceDelta = (delta: JsonObject, finish: string | null): JsonObject => ({ index: 0, delta, logprobs: null, finish_reason: finish });

export const roleDelta = (toolCall: ToolCall | undefined): JsonObject =>
  toolCall
    ? { role: 'assistant', content: null, tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: '' } }], refusal: null }
    : { role: 'assistant', content: '', refusal: null };

export const pieceDelta = (piece: string, isTool: boolean): JsonObject =>
  isTool ? { tool_calls: [{ index: 0, function: { arguments: piece } }] } : { content: piece };

export const textChoice = (index: number, text: string, finish: string | null): JsonObject => ({ text, index, logprobs: null, finish_reason: finish });

export function textCompletionBody(id: string, created: number, model: string, choices: JsonObject[], usage: JsonObject | null | undefined): JsonObject {
  const body: JsonObject = { id, object: 'text_completion', created, model, system_fingerprint: SYSTEM_FINGERPRINT, choices };
  if (usage !== undefined) body['usage'] = usage;
  return body;
}

/** Deterministic unit-range vector per text (float32-exact, so float and base64 encodings agree). */
export function embeddingVector(text: string, dims: number): number[] {
  let x = 2166136261;
  for (const ch of text) x = Math.imul(x ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.push(Math.fround((x / 2 ** 32) * 2 - 1));
  }
  return out;
}

/** base64 of the vector as little-endian float32, as OpenAI returns for encoding_format "base64". */
export function float32Base64(vector: number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return Buffer.from(view.buffer).toString('base64');
}

export function embeddingsBody(model: string, texts: string[], dims: number, base64: boolean, promptTokens: number): JsonObject {
  const data = texts.map((t, index) => {
    const v = embeddingVector(t, dims);
    return { object: 'embedding', index, embedding: base64 ? float32Base64(v) : v };
  });
  return { object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
}

export const modelObject = (id: string): JsonObject => ({ id, object: 'model', created: 1715367049, owned_by: 'system' });
export const modelsListBody = (ids: string[]): JsonObject => ({ object: 'list', data: ids.map(modelObject) });

export const openaiError = (message: string, type: string | null, param: string | null, code: string | null): ErrorBody => ({
  error: { message, type, param, code },
});

const maskKey = (key: string): string => (key.length <= 8 ? key : key.slice(0, 3) + '*'.repeat(key.length - 7) + key.slice(-4));

/** The error bodies OpenAI returns, with its wording. */
export const openaiErrors = {
  missingKey: (): ErrorBody =>
    openaiError(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error', null, null),
  invalidKey: (key: string): ErrorBody =>
    openaiError(`Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key'),
  modelNotFound: (model: string): ErrorBody =>
    openaiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found'),
  missingModel: (): ErrorBody => openaiError('you must provide a model parameter', 'invalid_request_error', null, null),
  invalidUrl: (method: string, path: string): ErrorBody => openaiError(`Invalid URL (${method} ${path})`, 'invalid_request_error', null, null),
  badJson: (): ErrorBody =>
    openaiError(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
      'invalid_request_error', null, null),
  invalidInput: (): ErrorBody =>
    openaiError("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'invalid_request_error', null, null),
  rateLimit: (model: string): ErrorBody =>
    openaiError(
      `Rate limit reached for ${model} in organization org-switchyard on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests', null, 'rate_limit_exceeded'),
  server: (): ErrorBody => openaiError('The server had an error while processing your request. Sorry about that!', 'server_error', null, null),
  badParam: (): ErrorBody =>
    openaiError("Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.", 'invalid_request_error', 'temperature', 'decimal_above_max_value'),
};
