// OpenAI Responses API wire-format builders for the fake Responses upstream: scripted behaviours,
// reading `input` (string or items), request checks with OpenAI's error wording, deterministic token
// math, the reply plan, full `response` objects and the stream events, shaped like
// https://platform.openai.com/docs/api-reference/responses (openai/openai-openapi `Response`,
// `Response*Event`). No I/O.
import { createHmac, randomBytes } from 'node:crypto';
import { chunkString, countWords, isRecord, nowSeconds, openaiError, replyText, splitWords } from './openaiResponses.ts';
import type { ErrorBody, JsonObject } from './openaiResponses.ts';

/** Selected by substring of the model name (several may combine), or forced with setBehaviour. */
export const RESPONSES_BEHAVIOURS = [
  'error-429', 'error-500', 'error-400', 'slow-first-byte', 'stream-drop', 'stream-error', 'tools', 'cached', 'reasoning',
] as const;
export type ResponsesBehaviour = (typeof RESPONSES_BEHAVIOURS)[number];

/** Per-item overhead added to the word count of every input item (and of `instructions`). */
export const TOKENS_PER_ITEM = 3;
/** The API refuses `max_output_tokens` below this. */
export const MIN_OUTPUT_TOKENS = 16;
/** Function-call arguments stream in chunks of this many characters; each chunk counts as one output token. */
export const ARGUMENT_CHUNK = 8;
/** What the scripted shell call echoes (`echo switchyard-tool-ok`), for shell-like tools such as Codex's `exec_command`. */
export const TOOL_ECHO_TEXT = 'switchyard-tool-ok';
const SIGNING_SECRET = 'switchyard-fake-reasoning';

export function behavioursOf(name: string, forced?: ResponsesBehaviour): Set<ResponsesBehaviour> {
  const found = new Set(RESPONSES_BEHAVIOURS.filter((b) => name.includes(b)));
  if (forced) found.add(forced);
  return found;
}

/** `resp_…`, `msg_…`, `fc_…`, `rs_…`: a prefix and 50 hex digits, like the API's item ids. */
export const responsesId = (prefix: string): string => prefix + randomBytes(25).toString('hex');
const callId = (): string => 'call_' + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24);

//#region reading requests

/** Text of a message content or tool output: a string, or the text of its parts. */
export function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((p) => (isRecord(p) && typeof p['text'] === 'string' ? [p['text']] : [])).join(' ');
}

/** `input` as items: a string is one user message. */
export function inputItems(input: unknown): JsonObject[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input.filter(isRecord) : [];
}

const isMessage = (item: JsonObject): boolean => item['type'] === 'message' || (item['type'] === undefined && typeof item['role'] === 'string');

function itemTokens(item: JsonObject): number {
  if (isMessage(item)) return countWords(partsText(item['content'])) + TOKENS_PER_ITEM;
  if (item['type'] === 'function_call') return countWords(String(item['arguments'] ?? '')) + TOKENS_PER_ITEM;
  if (item['type'] === 'function_call_output') return countWords(partsText(item['output'])) + TOKENS_PER_ITEM;
  if (item['type'] === 'reasoning') return countWords(partsText(item['summary'])) + TOKENS_PER_ITEM;
  return TOKENS_PER_ITEM;
}

export type ReadInput = {
  /** Earlier turns (from `previous_response_id`) followed by this request's items. */
  context: JsonObject[];
  lastUserText: string;
  /** Output of the latest item when it is a `function_call_output`: the reply is text about it, never another call. */
  toolOutput: string | undefined;
  inputTokens: number;
};

/** input_tokens = words of every item (and of `instructions`) + TOKENS_PER_ITEM each. */
export function readInput(body: JsonObject, previous: JsonObject[] = []): ReadInput {
  const context = [...previous, ...inputItems(body['input'])];
  const lastUser = context.filter((i) => isMessage(i) && i['role'] === 'user').at(-1);
  const latest = context.at(-1);
  const instructions = body['instructions'];
  const instructionTokens = typeof instructions === 'string' ? countWords(instructions) + TOKENS_PER_ITEM : inputItems(instructions).reduce((n, i) => n + itemTokens(i), 0);
  return {
    context,
    lastUserText: partsText(lastUser?.['content']),
    toolOutput: latest?.['type'] === 'function_call_output' ? partsText(latest['output']).trim() : undefined,
    inputTokens: instructionTokens + context.reduce((n, i) => n + itemTokens(i), 0),
  };
}

//#endregion
//#region request checks

export type Refusal = { status: number; body: ErrorBody };
const invalid = (message: string, param: string | null, code: string | null): Refusal => ({ status: 400, body: openaiError(message, 'invalid_request_error', param, code) });

const USER_PARTS = ['input_text', 'input_image', 'input_file', 'input_audio'];
const ASSISTANT_PARTS = ['output_text', 'refusal'];
const ROLES = ['user', 'assistant', 'system', 'developer'];
const quoteList = (values: string[]): string => values.map((v) => `'${v}'`).join(', ').replace(/, ([^,]*)$/, ', and $1');

/** The reasoning item's opaque `encrypted_content`: its text and id, signed so a replay can be checked. */
export function encryptReasoning(id: string, text: string): string {
  const payload = Buffer.from(JSON.stringify({ id, text })).toString('base64url');
  return `gAAAAA${payload}.${createHmac('sha256', SIGNING_SECRET).update(payload).digest('base64url')}`;
}

export function verifyReasoning(encrypted: string): boolean {
  const m = /^gAAAAA([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(encrypted);
  return m !== null && createHmac('sha256', SIGNING_SECRET).update(m[1]!).digest('base64url') === m[2];
}

function checkMessage(item: JsonObject, at: string): Refusal | undefined {
  const role = item['role'];
  if (typeof role !== 'string' || !ROLES.includes(role)) return invalid(`Invalid value: '${String(role)}'. Supported values are: ${quoteList(ROLES)}.`, `${at}.role`, 'invalid_value');
  const content = item['content'];
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return invalid(`Invalid type for '${at}.content': expected one of a string or an array of input content parts, but got ${content === null ? 'null' : typeof content} instead.`, `${at}.content`, 'invalid_type');
  const allowed = role === 'assistant' ? ASSISTANT_PARTS : USER_PARTS;
  for (const [j, part] of content.entries()) {
    const type = isRecord(part) ? part['type'] : undefined;
    if (typeof type !== 'string' || !allowed.includes(type)) return invalid(`Invalid value: '${String(type)}'. Supported values are: ${quoteList(allowed)}.`, `${at}.content[${j}].type`, 'invalid_value');
  }
  return undefined;
}

/**
 * What the API refuses before generating: a missing model, a malformed `input`, message parts of the
 * wrong kind for the role, a `function_call_output` without its call, reasoning `encrypted_content` this
 * fake did not produce, chat-style function tools, an unknown forced function and a too-small
 * `max_output_tokens`. Unknown item and tool types are accepted (built-in tools, Codex's namespaces).
 */
export function checkRequest(body: JsonObject, context: JsonObject[]): Refusal | undefined {
  const input = body['input'];
  if (input !== undefined && typeof input !== 'string' && !Array.isArray(input)) {
    return invalid(`Invalid type for 'input': expected one of a string or array of input items, but got ${input === null ? 'null' : typeof input} instead.`, 'input', 'invalid_type');
  }
  const items: unknown[] = Array.isArray(input) ? input : [];
  const calls = new Set(context.filter((i) => i['type'] === 'function_call').map((i) => i['call_id']));
  for (const [i, item] of items.entries()) {
    const at = `input[${i}]`;
    if (!isRecord(item)) return invalid(`Invalid type for '${at}': expected an input item, but got ${typeof item} instead.`, at, 'invalid_type');
    if (isMessage(item)) {
      const refused = checkMessage(item, at);
      if (refused) return refused;
    } else if (item['type'] === 'function_call_output') {
      if (typeof item['call_id'] !== 'string') return invalid(`Missing required parameter: '${at}.call_id'.`, `${at}.call_id`, 'missing_required_parameter');
      if (!calls.has(item['call_id'])) return invalid(`No tool call found for function call output with call_id ${item['call_id']}.`, 'input', null);
    } else if (item['type'] === 'function_call') {
      for (const key of ['call_id', 'name', 'arguments']) {
        if (typeof item[key] !== 'string') return invalid(`Missing required parameter: '${at}.${key}'.`, `${at}.${key}`, 'missing_required_parameter');
      }
    } else if (item['type'] === 'reasoning' && typeof item['encrypted_content'] === 'string' && !verifyReasoning(item['encrypted_content'])) {
      return invalid(`The encrypted content for item ${String(item['id'] ?? at)} could not be verified. Reason: Encrypted content could not be decrypted or parsed.`, null, 'invalid_encrypted_content');
    }
  }
  const tools: unknown[] = Array.isArray(body['tools']) ? body['tools'] : [];
  for (const [i, tool] of tools.entries()) {
    if (isRecord(tool) && tool['type'] === 'function' && typeof tool['name'] !== 'string') return invalid(`Missing required parameter: 'tools[${i}].name'.`, `tools[${i}].name`, 'missing_required_parameter');
  }
  const choice = body['tool_choice'];
  if (isRecord(choice) && choice['type'] === 'function' && !functionTools(body).some((t) => t['name'] === choice['name'])) {
    return invalid(`Tool choice 'function' not found in 'tools' parameter.`, 'tool_choice', null);
  }
  const max = body['max_output_tokens'];
  if (typeof max === 'number' && max < MIN_OUTPUT_TOKENS) {
    return invalid(`Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${max} instead.`, 'max_output_tokens', 'integer_below_min_value');
  }
  return undefined;
}

//#endregion
//#region planning the reply

const functionTools = (body: JsonObject): JsonObject[] =>
  (Array.isArray(body['tools']) ? body['tools'] : []).filter((t): t is JsonObject => isRecord(t) && t['type'] === 'function' && typeof t['name'] === 'string');

/** Arguments fitting the tool's schema: a harmless `echo` for shell tools (`cmd` / `command`), else `{input}`. */
export function toolArguments(tool: JsonObject, lastUserText: string): string {
  const params = isRecord(tool['parameters']) ? tool['parameters'] : {};
  const props = isRecord(params['properties']) ? params['properties'] : {};
  const typeOf = (key: string): unknown => (isRecord(props[key]) ? props[key]['type'] : undefined);
  if (typeOf('cmd') === 'string') return JSON.stringify({ cmd: `echo ${TOOL_ECHO_TEXT}` });
  if (typeOf('command') === 'array') return JSON.stringify({ command: ['echo', TOOL_ECHO_TEXT] });
  if (typeOf('command') === 'string') return JSON.stringify({ command: `echo ${TOOL_ECHO_TEXT}` });
  return JSON.stringify({ input: lastUserText });
}

export type PlannedItem =
  | { type: 'reasoning'; id: string; text: string; summarize: boolean }
  | { type: 'message'; id: string; pieces: string[]; status: 'completed' | 'incomplete' }
  | { type: 'function_call'; id: string; callId: string; name: string; pieces: string[] };

export type Plan = {
  model: string;
  items: PlannedItem[];
  status: 'completed' | 'incomplete';
  usage: JsonObject;
};

/** The tool to call, if any: `tool_choice` forcing one, or the first function tool for `tools` models. */
function chosenTool(body: JsonObject, flags: Set<ResponsesBehaviour>, read: ReadInput): JsonObject | undefined {
  if (read.toolOutput !== undefined) return undefined;
  const tools = functionTools(body);
  const choice = body['tool_choice'];
  if (isRecord(choice) && choice['type'] === 'function') return tools.find((t) => t['name'] === choice['name']);
  if (choice === 'none') return undefined;
  return flags.has('tools') || choice === 'required' ? tools[0] : undefined;
}

/** The (hidden) reasoning of `reasoning` models; its words are the reasoning tokens. */
export function reasoningText(read: ReadInput, toolName: string | undefined): string {
  if (read.toolOutput !== undefined) return 'The tool answered, so I report its output.';
  return `The user wrote: ${read.lastUserText.trim()}. ${toolName === undefined ? 'I answer with a greeting.' : `I call ${toolName}.`}`;
}

/**
 * One reasoning item first for `reasoning` models (its summary only when `reasoning.summary` is set),
 * then a function_call (see chosenTool) or a message: `Tool said: <output>` after a tool output, else
 * `Hello from <model>: <last user text>`. output_tokens = one per word / argument chunk + reasoning
 * words; `max_output_tokens` (reasoning included) truncates the text and makes the response incomplete.
 */
export function planReply(body: JsonObject, model: string, flags: Set<ResponsesBehaviour>, read: ReadInput): Plan {
  const items: PlannedItem[] = [];
  const tool = chosenTool(body, flags, read);
  let reasoningTokens = 0;
  if (flags.has('reasoning')) {
    const reasoning = body['reasoning'];
    const summary = isRecord(reasoning) ? reasoning['summary'] ?? reasoning['generate_summary'] : undefined;
    const text = reasoningText(read, tool === undefined ? undefined : String(tool['name']));
    reasoningTokens = countWords(text);
    items.push({ type: 'reasoning', id: responsesId('rs_'), text, summarize: typeof summary === 'string' && summary !== 'none' });
  }
  let status: Plan['status'] = 'completed';
  let visible: number;
  if (tool) {
    const pieces = chunkString(toolArguments(tool, read.lastUserText), ARGUMENT_CHUNK);
    items.push({ type: 'function_call', id: responsesId('fc_'), callId: callId(), name: String(tool['name']), pieces });
    visible = pieces.length;
  } else {
    let pieces = splitWords(read.toolOutput !== undefined ? `Tool said: ${read.toolOutput}` : replyText(model, read.lastUserText));
    const max = body['max_output_tokens'];
    if (typeof max === 'number' && reasoningTokens + pieces.length > max) {
      pieces = pieces.slice(0, Math.max(0, max - reasoningTokens));
      status = 'incomplete';
    }
    if (pieces.length > 0) items.push({ type: 'message', id: responsesId('msg_'), pieces, status });
    visible = pieces.length;
  }
  const cached = flags.has('cached') || typeof body['prompt_cache_key'] === 'string' ? Math.floor(read.inputTokens / 2) : 0;
  const output = visible + reasoningTokens;
  const usage = {
    input_tokens: read.inputTokens,
    input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: read.inputTokens + output,
  };
  return { model, items, status, usage };
}

//#endregion
//#region response objects

export const outputTextPart = (text: string): JsonObject => ({ type: 'output_text', annotations: [], logprobs: [], text });

/** An output item as `response.output_item.done` and the final response show it. */
export function doneItem(item: PlannedItem): JsonObject {
  if (item.type === 'reasoning') {
    const summary = item.summarize ? [{ type: 'summary_text', text: item.text }] : [];
    return { id: item.id, type: 'reasoning', encrypted_content: encryptReasoning(item.id, item.text), summary };
  }
  if (item.type === 'message') return { id: item.id, type: 'message', status: item.status, content: [outputTextPart(item.pieces.join(''))], role: 'assistant' };
  return { id: item.id, type: 'function_call', status: 'completed', arguments: item.pieces.join(''), call_id: item.callId, name: item.name };
}

/** The same item as `response.output_item.added` shows it: in progress and empty. */
export function addedItem(item: PlannedItem): JsonObject {
  if (item.type === 'reasoning') return { id: item.id, type: 'reasoning', encrypted_content: null, summary: [] };
  if (item.type === 'message') return { id: item.id, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
  return { id: item.id, type: 'function_call', status: 'in_progress', arguments: '', call_id: item.callId, name: item.name };
}

/** Function tools echoed with the defaults the API fills in; other tool types as sent. */
function echoTools(tools: unknown): unknown[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((t) =>
    isRecord(t) && t['type'] === 'function'
      ? { type: 'function', description: t['description'] ?? null, name: t['name'], parameters: t['parameters'] ?? null, strict: t['strict'] ?? true }
      : t,
  );
}

export type ResponseState = {
  id: string;
  createdAt: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: JsonObject[];
  usage: JsonObject | null;
  error?: { code: string; message: string } | null;
};

/** The full `response` object: request settings echoed with the API's defaults, in the API's field order. */
export function responseObject(body: JsonObject, model: string, flags: Set<ResponsesBehaviour>, s: ResponseState): JsonObject {
  const reasoning = isRecord(body['reasoning']) ? body['reasoning'] : {};
  const text = isRecord(body['text']) ? body['text'] : {};
  const done = s.status === 'completed';
  return {
    id: s.id,
    object: 'response',
    created_at: s.createdAt,
    status: s.status,
    background: body['background'] === true,
    completed_at: done ? nowSeconds() : null,
    error: s.error ?? null,
    incomplete_details: s.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    max_tool_calls: body['max_tool_calls'] ?? null,
    model,
    output: s.output,
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: body['previous_response_id'] ?? null,
    prompt_cache_key: body['prompt_cache_key'] ?? null,
    prompt_cache_retention: body['prompt_cache_retention'] ?? null,
    reasoning: { effort: reasoning['effort'] ?? (flags.has('reasoning') ? 'medium' : null), summary: reasoning['summary'] ?? null },
    safety_identifier: body['safety_identifier'] ?? null,
    service_tier: 'default',
    store: body['store'] ?? true,
    temperature: body['temperature'] ?? 1,
    text: { format: text['format'] ?? { type: 'text' }, verbosity: text['verbosity'] ?? 'medium' },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: echoTools(body['tools']),
    top_logprobs: body['top_logprobs'] ?? 0,
    top_p: body['top_p'] ?? 1,
    truncation: body['truncation'] ?? 'disabled',
    usage: s.usage,
    user: body['user'] ?? null,
    metadata: body['metadata'] ?? {},
  };
}

//#endregion
//#region stream events

/** Random padding on delta events, as the API adds unless `stream_options.include_obfuscation` is false. */
const obfuscation = (delta: string): string => randomBytes(16).toString('base64url').slice(0, Math.max(1, 16 - delta.length));

/**
 * The events of one streamed response without `sequence_number` (the writer numbers them): created,
 * in_progress, then per item added / (summary part | content part | arguments) deltas / done, and
 * response.completed (or response.incomplete) with the full response and usage.
 */
export function streamEvents(body: JsonObject, plan: Plan, flags: Set<ResponsesBehaviour>, state: { id: string; createdAt: number }): JsonObject[] {
  const streamOptions = isRecord(body['stream_options']) ? body['stream_options'] : {};
  const obfuscate = streamOptions['include_obfuscation'] !== false;
  const delta = (event: JsonObject, text: string): JsonObject => (obfuscate ? { ...event, delta: text, obfuscation: obfuscation(text) } : { ...event, delta: text });
  const snapshot = (status: ResponseState['status'], output: JsonObject[], usage: JsonObject | null): JsonObject =>
    responseObject(body, plan.model, flags, { ...state, status, output, usage });
  const events: JsonObject[] = [
    { type: 'response.created', response: snapshot('in_progress', [], null) },
    { type: 'response.in_progress', response: snapshot('in_progress', [], null) },
  ];
  for (const [outputIndex, item] of plan.items.entries()) {
    const at = { item_id: item.id, output_index: outputIndex };
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: addedItem(item) });
    if (item.type === 'reasoning' && item.summarize) {
      const part = { ...at, summary_index: 0 };
      events.push({ type: 'response.reasoning_summary_part.added', ...part, part: { type: 'summary_text', text: '' } });
      for (const piece of splitWords(item.text)) events.push(delta({ type: 'response.reasoning_summary_text.delta', ...part }, piece));
      events.push({ type: 'response.reasoning_summary_text.done', ...part, text: item.text });
      events.push({ type: 'response.reasoning_summary_part.done', ...part, part: { type: 'summary_text', text: item.text } });
    } else if (item.type === 'message') {
      const part = { ...at, content_index: 0 };
      const text = item.pieces.join('');
      events.push({ type: 'response.content_part.added', ...part, part: outputTextPart('') });
      for (const piece of item.pieces) events.push(delta({ type: 'response.output_text.delta', ...part, logprobs: [] }, piece));
      events.push({ type: 'response.output_text.done', ...part, text, logprobs: [] });
      events.push({ type: 'response.content_part.done', ...part, part: outputTextPart(text) });
    } else if (item.type === 'function_call') {
      for (const piece of item.pieces) events.push(delta({ type: 'response.function_call_arguments.delta', ...at }, piece));
      events.push({ type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.pieces.join('') });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem(item) });
  }
  const final = plan.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
  events.push({ type: final, response: snapshot(plan.status, plan.items.map(doneItem), plan.usage) });
  return events;
}

/** Where scripted stream failures cut in: right after the first delta (mid-output), or at the first output item (before output). */
export function cutIndex(events: JsonObject[], beforeOutput: boolean): number {
  const last = events.length - 1;
  if (beforeOutput) return Math.min(last, events.findIndex((e) => e['type'] === 'response.output_item.added') >>> 0);
  const i = events.findIndex((e) => String(e['type']).endsWith('.delta'));
  return i === -1 ? last : i + 1;
}

//#endregion
