// Serves one chat / text-completion / embeddings call in OpenAI's wire format (plus Azure's content-filter
// annotations when asked), including the scripted behaviours selected by model or deployment name.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cachedTokensFor, chatChoiceDelta, chatChunk, chatCompletionBody, chatPromptTokens, chatUsage, chunkString, countWords,
  embeddingsBody, DEFAULT_EMBEDDING_DIMENSIONS, isRecord, newId, nowSeconds, openaiErrors, pieceDelta, plainUsage,
  readMessages, replyText, roleDelta, splitWords, textChoice, textCompletionBody,
} from './openaiResponses.ts';
import type { JsonObject, ToolCall } from './openaiResponses.ts';
import { endSse, openSse, sendJson, writeSse } from './sse.ts';
import { toolArguments } from './responsesApi.ts';

export const BEHAVIOURS = ['error-429', 'error-500', 'error-400', 'slow-first-byte', 'stream-drop', 'tools', 'cached'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];
export type Operation = 'chat' | 'completion' | 'embedding';
/** 'stream_options': usage chunk only when asked (OpenAI); 'always': usage on the finish chunk (Mistral/Together); 'never'. */
export type UsageInStream = 'stream_options' | 'always' | 'never';
export type ServeOptions = {
  model: string;
  azure: boolean;
  usageInStream: UsageInStream;
  behaviour: Behaviour | undefined;
  headers: Record<string, string>;
};

export const SLOW_FIRST_BYTE_MS = 200;
export const behaviourOf = (name: string): Behaviour | undefined => BEHAVIOURS.find((b) => name.includes(b));

type Plan = { pieces: string[]; finish: string; toolCall?: ToolCall };
type UsageMode = 'none' | 'separate' | 'onFinish';

const SAFE = { filtered: false, severity: 'safe' };
const SAFE_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER_RESULTS = [{ prompt_index: 0, content_filter_results: SAFE_RESULTS }];

export async function serveOperation(op: Operation, body: JsonObject, res: ServerResponse, o: ServeOptions): Promise<void> {
  const failure = failureFor(o);
  if (failure) return sendJson(res, failure.status, failure.body, { ...o.headers, ...failure.headers });
  if (o.behaviour === 'slow-first-byte') await sleep(SLOW_FIRST_BYTE_MS);
  if (op === 'embedding') return serveEmbeddings(body, res, o);
  const mode = usageMode(body, o);
  const { full, chunks } = op === 'chat' ? chatReply(body, o, mode) : completionReply(body, o, mode);
  if (body['stream'] !== true) {
    if (o.azure) azureDecorate(full, true);
    return sendFull(res, full, o);
  }
  if (o.azure) {
    chunks.forEach((c) => azureDecorate(c, false));
    chunks.unshift({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS });
  }
  return sendStream(res, chunks, o);
}

function failureFor(o: ServeOptions): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
  if (o.behaviour === 'error-500') return { status: 500, body: openaiErrors.server() };
  if (o.behaviour === 'error-400') return { status: 400, body: openaiErrors.badParam() };
  if (o.behaviour !== 'error-429') return undefined;
  const body = o.azure
    ? { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.' } }
    : openaiErrors.rateLimit(o.model);
  return { status: 429, body, headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' } };
}

function usageMode(body: JsonObject, o: ServeOptions): UsageMode {
  if (o.usageInStream === 'always') return 'onFinish';
  const so = body['stream_options'];
  return o.usageInStream === 'stream_options' && isRecord(so) && so['include_usage'] === true ? 'separate' : 'none';
}

function limited(pieces: string[], body: JsonObject): Plan {
  const max = body['max_completion_tokens'] ?? body['max_tokens'];
  return typeof max === 'number' && max < pieces.length ? { pieces: pieces.slice(0, max), finish: 'length' } : { pieces, finish: 'stop' };
}

function toolName(body: JsonObject): string {
  const first: unknown = Array.isArray(body['tools']) ? body['tools'][0] : undefined;
  const fn = isRecord(first) ? first['function'] : undefined;
  return isRecord(fn) && typeof fn['name'] === 'string' ? fn['name'] : 'get_weather';
}

/**
 * The function a `tools` model calls and its arguments: the first shell-like function (`cmd` or `command`,
 * as Codex's `exec_command` and Claude Code's `Bash` have) with a harmless `echo`, else the first function
 * with `{"input": <last user text>}` (see toolArguments in responsesApi.ts).
 */
function toolCallFor(body: JsonObject, lastUser: string): { name: string; arguments: string } {
  const fns = (Array.isArray(body['tools']) ? body['tools'] : []).flatMap((t) => (isRecord(t) && isRecord(t['function']) ? [t['function']] : []));
  const withArgs = fns.map((fn) => ({ fn, arguments: toolArguments(fn, lastUser) }));
  const shell = withArgs.find((c) => !c.arguments.startsWith('{"input"'));
  if (shell && typeof shell.fn['name'] === 'string') return { name: shell.fn['name'], arguments: shell.arguments };
  return { name: toolName(body), arguments: JSON.stringify({ input: lastUser }) };
}

function chatReply(body: JsonObject, o: ServeOptions, mode: UsageMode): { full: JsonObject; chunks: JsonObject[] } {
  const messages = readMessages(body);
  const lastUser = messages.filter((m) => m.role === 'user').at(-1)?.text ?? '';
  let plan: Plan = limited(splitWords(replyText(o.model, lastUser)), body);
  const last = messages.at(-1);
  if (o.behaviour === 'tools' && last?.role === 'tool') {
    // The conversation answers the call: report the tool's output (as the Responses fake does), never call again.
    plan = limited(splitWords(`Tool said: ${last.text.trim()}`), body);
  } else if (o.behaviour === 'tools') {
    const toolCall = { id: newId('call_'), ...toolCallFor(body, lastUser) };
    plan = { pieces: chunkString(toolCall.arguments, 8), finish: 'tool_calls', toolCall };
  }
  const prompt = chatPromptTokens(messages);
  const usage = chatUsage(prompt, plan.pieces.length, cachedTokensFor(prompt, o.behaviour === 'cached' || typeof body['user'] === 'string'));
  const id = newId('chatcmpl-');
  const content = plan.toolCall ? null : plan.pieces.join('');
  const full = chatCompletionBody(id, o.model, content, plan.toolCall, plan.finish, usage);
  const created = nowSeconds();
  const carry = mode === 'separate' ? null : undefined;
  const chunk = (delta: JsonObject, finish: string | null, u: JsonObject | null | undefined = carry): JsonObject =>
    chatChunk(id, created, o.model, [chatChoiceDelta(delta, finish)], u);
  const chunks = [
    chunk(roleDelta(plan.toolCall), null),
    ...plan.pieces.map((p) => chunk(pieceDelta(p, plan.toolCall !== undefined), null)),
    chunk({}, plan.finish, mode === 'onFinish' ? usage : carry),
  ];
  if (mode === 'separate') chunks.push(chatChunk(id, created, o.model, [], usage));
  return { full, chunks };
}

function completionReply(body: JsonObject, o: ServeOptions, mode: UsageMode): { full: JsonObject; chunks: JsonObject[] } {
  const raw = body['prompt'];
  const prompts = Array.isArray(raw) && raw.every((p) => typeof p === 'string') ? raw : [typeof raw === 'string' ? raw : ''];
  const plans = prompts.map((p) => limited(splitWords(replyText(o.model, p)), body));
  const usage = plainUsage(prompts.reduce((n, p) => n + countWords(p), 0), plans.reduce((n, p) => n + p.pieces.length, 0));
  const id = newId('cmpl-');
  const created = nowSeconds();
  const full = textCompletionBody(id, created, o.model, plans.map((p, i) => textChoice(i, p.pieces.join(''), p.finish)), usage);
  const carry = mode === 'separate' ? null : undefined;
  const chunks = plans.flatMap((plan, i) => [
    ...plan.pieces.map((piece) => textCompletionBody(id, created, o.model, [textChoice(i, piece, null)], carry)),
    textCompletionBody(id, created, o.model, [textChoice(i, '', plan.finish)], mode === 'onFinish' && i === plans.length - 1 ? usage : carry),
  ]);
  if (mode === 'separate') chunks.push(textCompletionBody(id, created, o.model, [], usage));
  return { full, chunks };
}

function embeddingInputs(input: unknown): { texts: string[]; tokens: number } | undefined {
  const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number');
  if (typeof input === 'string' && input !== '') return { texts: [input], tokens: countWords(input) };
  if (isTokens(input)) return { texts: [input.join(' ')], tokens: input.length };
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((s) => typeof s === 'string' && s !== '')) return { texts: input, tokens: input.reduce((n: number, s: string) => n + countWords(s), 0) };
  if (input.every(isTokens)) return { texts: input.map((t) => t.join(' ')), tokens: input.reduce((n: number, t: number[]) => n + t.length, 0) };
  return undefined;
}

function serveEmbeddings(body: JsonObject, res: ServerResponse, o: ServeOptions): void {
  const inputs = embeddingInputs(body['input']);
  if (!inputs) return sendJson(res, 400, openaiErrors.invalidInput(), o.headers);
  const dims = typeof body['dimensions'] === 'number' ? body['dimensions'] : DEFAULT_EMBEDDING_DIMENSIONS;
  const result = embeddingsBody(o.model, inputs.texts, dims, body['encoding_format'] === 'base64', inputs.tokens);
  sendFull(res, result, o);
}

/** Azure adds prompt_filter_results to full bodies and content_filter_results to every choice. */
function azureDecorate(obj: JsonObject, full: boolean): void {
  if (full) obj['prompt_filter_results'] = PROMPT_FILTER_RESULTS;
  const choices = Array.isArray(obj['choices']) ? obj['choices'] : [];
  for (const choice of choices.filter(isRecord)) {
    const delta = choice['delta'];
    const hasText = full || (isRecord(delta) ? typeof delta['content'] === 'string' && delta['content'] !== '' : choice['text'] !== '');
    choice['content_filter_results'] = hasText ? SAFE_RESULTS : {};
  }
}

function sendFull(res: ServerResponse, body: JsonObject, o: ServeOptions): void {
  if (o.behaviour !== 'stream-drop') return sendJson(res, 200, body, o.headers);
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...o.headers });
  res.write(text.slice(0, text.length >> 1), () => res.destroy());
}

async function sendStream(res: ServerResponse, chunks: JsonObject[], o: ServeOptions): Promise<void> {
  openSse(res, o.headers);
  for (const [i, chunk] of chunks.entries()) {
    if (res.destroyed) return;
    if (o.behaviour === 'stream-drop' && i === 2) {
      await sleep(20);
      res.destroy();
      return;
    }
    await writeSse(res, chunk);
  }
  endSse(res);
}
