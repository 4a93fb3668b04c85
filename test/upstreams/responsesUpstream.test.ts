// Drives the fake OpenAI Responses upstream with the real openai SDK, raw fetch (wire details and the
// captured Codex / SDK requests replayed as sent) and, when installed, the real Codex CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { clientFixtures } from '../support/clientFixtures.ts';
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts';
import { TOOL_ECHO_TEXT } from '../support/upstreams/responsesApi.ts';
import { startResponsesUpstream } from '../support/upstreams/responsesUpstream.ts';
import type { ResponsesUpstream } from '../support/upstreams/responsesUpstream.ts';

const KEY = 'sk-test-1234567890abcd';
const FIXTURES = clientFixtures;
const CODEX = join(import.meta.dirname, '../clients/node_modules/.bin/codex');
const instructions = 'You are terse';
const input = 'Say hi please';
// (3 + 3) + (3 + 3): words plus 3 per item, instructions counting as one
const INPUT_TOKENS = 12;
const REPLY = 'Hello from gpt-5: Say hi please';
const weather = { type: 'function' as const, name: 'get_weather', description: 'Weather for a city', strict: true, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } };

type JsonObject = Record<string, unknown>;
type SseEvent = { event: string | undefined; data: JsonObject };

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

function parseSse(text: string): SseEvent[] {
  return text.split('\n\n').filter((block) => block.trim() !== '').map((block) => {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length);
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice('data: '.length)).join('\n');
    return { event, data: JSON.parse(data) as JsonObject };
  });
}

const typesOf = (events: { type: string }[]): string[] => events.map((e) => e.type);
/** `store` is on the wire (and in the API reference) but not in the SDK's Response type. */
const storeOf = (r: object): unknown => (r as { store?: unknown }).store;
const textDeltas = (events: ResponseStreamEvent[]): string => events.map((e) => (e.type === 'response.output_text.delta' ? e.delta : '')).join('');

describe('OpenAI Responses upstream', () => {
  let up: ResponsesUpstream;
  let client: OpenAI;
  before(async () => {
    up = await startResponsesUpstream({ apiKey: KEY, models: ['gpt-5', 'gpt-stub'] });
    client = new OpenAI({ baseURL: up.url, apiKey: KEY, maxRetries: 0 });
  });
  after(() => up.close());

  test('non-stream: the full response object, output_text, usage and the recorded request', async () => {
    const res = await client.responses.create({ model: 'gpt-5', instructions, input, metadata: { run: 'a' } });
    assert.equal(up.url.endsWith('/v1'), true);
    assert.match(res.id, /^resp_[0-9a-f]{50}$/);
    assert.equal(res.object, 'response');
    assert.equal(res.status, 'completed');
    assert.equal(res.model, 'gpt-5');
    assert.equal(res.output_text, REPLY);
    assert.equal(typeof res.created_at, 'number');
    assert.equal(typeof res.completed_at, 'number');
    const [msg] = res.output;
    assert.ok(msg?.type === 'message');
    assert.match(msg.id, /^msg_/);
    assert.deepEqual([msg.role, msg.status, msg.content], ['assistant', 'completed', [{ type: 'output_text', annotations: [], logprobs: [], text: REPLY }]]);
    assert.deepEqual(res.usage, {
      input_tokens: INPUT_TOKENS, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 6, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: INPUT_TOKENS + 6,
    });
    assert.deepEqual(
      [res.instructions, res.error, res.incomplete_details, res.tool_choice, res.tools, res.parallel_tool_calls, res.temperature, res.top_p, res.truncation, storeOf(res), res.metadata, res.text],
      [instructions, null, null, 'auto', [], true, 1, 1, 'disabled', true, { run: 'a' }, { format: { type: 'text' }, verbosity: 'medium' }],
    );
    assert.deepEqual(res.reasoning, { effort: null, summary: null });
    const rec = up.requests.at(-1);
    assert.equal(rec?.path, '/v1/responses');
    assert.equal(rec?.headers['authorization'], `Bearer ${KEY}`);
    assert.deepEqual(rec?.body, { model: 'gpt-5', instructions, input, metadata: { run: 'a' } });
  });

  test('input items: message parts, developer and assistant turns; the last user text is answered', async () => {
    const res = await client.responses.create({
      model: 'gpt-5',
      input: [
        { role: 'developer', content: 'Be brief' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first question' }] },
        { type: 'message', id: 'msg_earlier', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'first answer', annotations: [], logprobs: [] }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' }] },
      ],
      max_output_tokens: 64, parallel_tool_calls: false, store: false, include: ['reasoning.encrypted_content'], reasoning: { effort: 'low' },
      tools: [{ type: 'web_search' }],
    });
    assert.equal(res.output_text, 'Hello from gpt-5: What is this?');
    // words 2 + 2 + 2 + 3, plus 3 per item
    assert.equal(res.usage?.input_tokens, 9 + 4 * 3);
    assert.deepEqual([res.max_output_tokens, res.parallel_tool_calls, storeOf(res), res.reasoning?.effort], [64, false, false, 'low']);
    assert.deepEqual(res.tools, [{ type: 'web_search' }]);
  });

  test('cached tokens: half the input for a prompt_cache_key or a `cached` model', async () => {
    const keyed = await client.responses.create({ model: 'gpt-5', instructions, input, prompt_cache_key: 'thread-1' });
    assert.equal(keyed.usage?.input_tokens_details.cached_tokens, INPUT_TOKENS / 2);
    assert.equal(keyed.prompt_cache_key, 'thread-1');
    const cached = await client.responses.create({ model: 'cached', instructions, input });
    assert.equal(cached.usage?.input_tokens_details.cached_tokens, INPUT_TOKENS / 2);
  });

  test('stream: event order, consecutive sequence numbers, deltas, response.completed with usage', async () => {
    const events = await collect(await client.responses.create({ model: 'gpt-5', instructions, input, stream: true }));
    assert.deepEqual(typesOf(events), [
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      ...Array<string>(6).fill('response.output_text.delta'),
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    assert.equal(textDeltas(events), REPLY);
    const [created, , added, partAdded] = events;
    assert.ok(created?.type === 'response.created');
    assert.deepEqual([created.response.status, created.response.output, created.response.usage], ['in_progress', [], null]);
    assert.ok(added?.type === 'response.output_item.added');
    assert.deepEqual(added.item, { id: added.item.id, type: 'message', status: 'in_progress', content: [], role: 'assistant' });
    assert.ok(partAdded?.type === 'response.content_part.added');
    assert.deepEqual(partAdded.part, { type: 'output_text', annotations: [], logprobs: [], text: '' });
    const delta = events[4];
    assert.ok(delta?.type === 'response.output_text.delta');
    assert.deepEqual([delta.item_id, delta.output_index, delta.content_index, delta.logprobs], [added.item.id, 0, 0, []]);
    assert.equal(typeof (delta as unknown as { obfuscation: unknown }).obfuscation, 'string');
    const done = events.at(-1);
    assert.ok(done?.type === 'response.completed');
    assert.equal(done.response.id, created.response.id);
    assert.equal(done.response.status, 'completed');
    assert.equal(done.response.output_text ?? REPLY, REPLY);
    assert.deepEqual([done.response.usage?.input_tokens, done.response.usage?.output_tokens], [INPUT_TOKENS, 6]);

    const plain = await collect(await client.responses.create({ model: 'gpt-5', input, stream: true, stream_options: { include_obfuscation: false } }));
    assert.ok(plain.every((e) => !('obfuscation' in e)));
  });

  test('responses.stream() helper: text events and finalResponse()', async () => {
    const stream = client.responses.stream({ model: 'gpt-5', instructions, input });
    let snapshot = '';
    stream.on('response.output_text.delta', (e) => {
      snapshot = e.snapshot;
    });
    const final = await stream.finalResponse();
    assert.equal(final.output_text, REPLY);
    assert.equal(snapshot, REPLY);
    assert.equal(final.usage?.total_tokens, INPUT_TOKENS + 6);
  });

  test('tools: a function_call for the first function tool, streamed argument deltas, then `Tool said:`', async () => {
    const res = await client.responses.create({ model: 'gpt-5-tools', input: 'Weather in Paris?', tools: [{ type: 'web_search' }, weather] });
    const call = res.output[0];
    assert.ok(call?.type === 'function_call');
    assert.match(call.id ?? '', /^fc_/);
    assert.match(call.call_id, /^call_/);
    assert.deepEqual([call.name, call.status, JSON.parse(call.arguments)], ['get_weather', 'completed', { input: 'Weather in Paris?' }]);
    assert.equal(res.output_text, '');
    assert.deepEqual(res.tools[1], { ...weather, strict: true });

    const events = await collect(await client.responses.create({ model: 'gpt-5-tools', input: 'Weather in Paris?', tools: [weather], stream: true }));
    const added = events.find((e) => e.type === 'response.output_item.added');
    assert.ok(added?.type === 'response.output_item.added' && added.item.type === 'function_call');
    assert.deepEqual([added.item.arguments, added.item.status, added.item.name], ['', 'in_progress', 'get_weather']);
    const args = events.map((e) => (e.type === 'response.function_call_arguments.delta' ? e.delta : '')).join('');
    const argsDone = events.find((e) => e.type === 'response.function_call_arguments.done');
    assert.ok(argsDone?.type === 'response.function_call_arguments.done');
    assert.deepEqual([argsDone.arguments, argsDone.name, argsDone.item_id], [args, 'get_weather', added.item.id]);
    assert.ok(!typesOf(events).includes('response.output_text.delta'));

    const followUp = await client.responses.create({
      model: 'gpt-5-tools',
      tools: [weather],
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' },
      ],
    });
    assert.equal(followUp.output_text, 'Tool said: {"temp":21}');
  });

  test('tool_choice: none answers in text, a named function or `required` forces a call on any model', async () => {
    const tools = [weather, { ...weather, name: 'get_time' }];
    const none = await client.responses.create({ model: 'tools', input, tools, tool_choice: 'none' });
    assert.equal(none.output[0]?.type, 'message');
    const named = await client.responses.create({ model: 'gpt-5', input, tools, tool_choice: { type: 'function', name: 'get_time' } });
    assert.ok(named.output[0]?.type === 'function_call' && named.output[0].name === 'get_time');
    const required = await client.responses.create({ model: 'gpt-5', input, tools, tool_choice: 'required' });
    assert.ok(required.output[0]?.type === 'function_call' && required.output[0].name === 'get_weather');
  });

  test('shell-like tools get a harmless echo fitting their schema', async () => {
    const shell = (properties: JsonObject) => [{ type: 'function' as const, name: 'shell', strict: false, parameters: { type: 'object', properties } }];
    const argsFor = async (properties: JsonObject): Promise<unknown> => {
      const res = await client.responses.create({ model: 'tools', input: 'list files', tools: shell(properties) });
      return res.output[0]?.type === 'function_call' ? JSON.parse(res.output[0].arguments) : undefined;
    };
    assert.deepEqual(await argsFor({ cmd: { type: 'string' } }), { cmd: `echo ${TOOL_ECHO_TEXT}` });
    assert.deepEqual(await argsFor({ command: { type: 'array', items: { type: 'string' } } }), { command: ['echo', TOOL_ECHO_TEXT] });
    assert.deepEqual(await argsFor({ command: { type: 'string' } }), { command: `echo ${TOOL_ECHO_TEXT}` });
  });

  test('reasoning models: a reasoning item (summary when asked), reasoning tokens, summary stream events', async () => {
    const res = await client.responses.create({ model: 'o4-reasoning', input: 'hi', reasoning: { effort: 'high', summary: 'auto' } });
    const [rs, msg] = res.output;
    assert.ok(rs?.type === 'reasoning');
    assert.match(rs.id, /^rs_/);
    assert.deepEqual(rs.summary, [{ type: 'summary_text', text: 'The user wrote: hi. I answer with a greeting.' }]);
    assert.match(rs.encrypted_content ?? '', /^gAAAAA/);
    assert.ok(msg?.type === 'message');
    assert.deepEqual(res.usage?.output_tokens_details, { reasoning_tokens: 9 });
    assert.equal(res.usage?.output_tokens, 9 + 4);
    assert.deepEqual(res.reasoning, { effort: 'high', summary: 'auto' });

    const quiet = await client.responses.create({ model: 'o4-reasoning', input: 'hi' });
    assert.ok(quiet.output[0]?.type === 'reasoning');
    assert.deepEqual(quiet.output[0].summary, []);
    assert.equal(quiet.reasoning?.effort, 'medium');

    const events = await collect(await client.responses.create({ model: 'o4-reasoning', input: 'hi', reasoning: { summary: 'detailed' }, stream: true }));
    assert.deepEqual(typesOf(events).slice(2, 6), ['response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.delta']);
    const summary = events.map((e) => (e.type === 'response.reasoning_summary_text.delta' ? e.delta : '')).join('');
    assert.equal(summary, 'The user wrote: hi. I answer with a greeting.');
    const types = typesOf(events);
    assert.ok(types.indexOf('response.reasoning_summary_part.done') < types.indexOf('response.content_part.added'));

    // replaying the reasoning item (as store:false clients do) is accepted; a forged one is refused
    const replay = await client.responses.create({ model: 'o4-reasoning', store: false, input: [{ role: 'user', content: 'hi' }, rs, { role: 'user', content: 'again' }] });
    assert.equal(replay.status, 'completed');
    await assert.rejects(
      client.responses.create({ model: 'o4-reasoning', input: [{ ...rs, encrypted_content: 'gAAAAAforged.sig' }, { role: 'user', content: 'again' }] }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === 'invalid_encrypted_content',
    );
  });

  test('max_output_tokens: below 16 refused; a shorter budget makes the response incomplete', async () => {
    await assert.rejects(client.responses.create({ model: 'gpt-5', input, max_output_tokens: 5 }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.param === 'max_output_tokens' && e.code === 'integer_below_min_value');
    const long = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const res = await client.responses.create({ model: 'gpt-5', input: long, max_output_tokens: 16 });
    assert.equal(res.status, 'incomplete');
    assert.deepEqual(res.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(res.usage?.output_tokens, 16);
    assert.equal(res.output[0]?.type === 'message' && res.output[0].status, 'incomplete');
    const events = await collect(await client.responses.create({ model: 'gpt-5', input: long, max_output_tokens: 16, stream: true }));
    assert.equal(events.at(-1)?.type, 'response.incomplete');
  });

  test('auth and request errors in OpenAI shape', async () => {
    const bad = new OpenAI({ baseURL: up.url, apiKey: 'sk-wrong-key-000000', maxRetries: 0 });
    await assert.rejects(bad.responses.create({ model: 'gpt-5', input }), (e: unknown) =>
      e instanceof OpenAI.AuthenticationError && e.code === 'invalid_api_key');
    const missing = await fetch(`${up.url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-5', input }) });
    assert.equal(missing.status, 401);
    await assert.rejects(client.responses.create({ model: 'gpt-9', input }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.code === 'model_not_found' && e.param === 'model' && e.message.includes("The requested model 'gpt-9' does not exist."));
    const noModel = await fetch(`${up.url}/responses`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ input }) });
    assert.deepEqual(await noModel.json(), { error: { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: 'missing_required_parameter' } });

    const refused = async (body: JsonObject): Promise<JsonObject> => {
      const r = await fetch(`${up.url}/responses`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-5', ...body }) });
      assert.equal(r.status, 400);
      return ((await r.json()) as { error: JsonObject }).error;
    };
    assert.deepEqual(await refused({ input: [{ type: 'function_call_output', call_id: 'call_x', output: 'x' }] }),
      { message: 'No tool call found for function call output with call_id call_x.', type: 'invalid_request_error', param: 'input', code: null });
    assert.deepEqual(await refused({ input: [{ role: 'assistant', content: [{ type: 'input_text', text: 'hi' }] }] }),
      { message: "Invalid value: 'input_text'. Supported values are: 'output_text', and 'refusal'.", type: 'invalid_request_error', param: 'input[0].content[0].type', code: 'invalid_value' });
    assert.equal((await refused({ input, tools: [{ type: 'function', function: { name: 'chat_style' } }] }))['param'], 'tools[0].name');
    assert.equal((await refused({ input: { role: 'user' } }))['code'], 'invalid_type');
    assert.equal((await refused({ input, tool_choice: { type: 'function', name: 'nope' } }))['param'], 'tool_choice');
  });

  test('scripted HTTP errors: 429 with retry-after, 500, 400 (streaming or not)', async () => {
    await assert.rejects(client.responses.create({ model: 'error-429', input }), (e: unknown) =>
      e instanceof OpenAI.RateLimitError && e.code === 'rate_limit_exceeded' && e.headers.get('retry-after') === '1');
    await assert.rejects(client.responses.create({ model: 'error-500', input, stream: true }), (e: unknown) =>
      e instanceof OpenAI.InternalServerError && e.type === 'server_error');
    await assert.rejects(client.responses.create({ model: 'error-400', input }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.param === 'temperature');
  });

  test('stream-error: in-stream response.failed and error events', async () => {
    const failed = await collect(await client.responses.create({ model: 'stream-error', input, stream: true }));
    assert.deepEqual(typesOf(failed).slice(-2), ['response.output_text.delta', 'response.failed']);
    const last = failed.at(-1);
    assert.ok(last?.type === 'response.failed');
    assert.deepEqual([last.response.status, last.response.error?.code, last.response.usage], ['failed', 'server_error', null]);
    assert.equal(last.sequence_number, failed.length - 1);

    const limited = await collect(await client.responses.create({ model: 'stream-error-429', input, stream: true }));
    assert.deepEqual(typesOf(limited), ['response.created', 'response.in_progress', 'response.failed']);
    assert.ok(limited[2]?.type === 'response.failed' && limited[2].response.error?.code === 'rate_limit_exceeded');
    assert.match(limited[2].response.error.message, /Please try again in 1s/);

    const errored = await collect(await client.responses.create({ model: 'stream-error-500', input, stream: true }));
    const error = errored.at(-1);
    assert.ok(error?.type === 'error');
    assert.deepEqual([error.code, error.param], ['server_error', null]);
    const tooLong = await collect(await client.responses.create({ model: 'stream-error-400', input, stream: true }));
    assert.ok(tooLong[2]?.type === 'error' && tooLong[2].code === 'context_length_exceeded' && tooLong[2].param === 'input');
    // non-streaming requests of a stream-error model still get the HTTP error
    await assert.rejects(client.responses.create({ model: 'stream-error-429', input }), OpenAI.RateLimitError);
  });

  test('slow-first-byte waits; stream-drop cuts the socket after the first delta; setBehaviour forces one', async () => {
    const t0 = Date.now();
    const slow = await client.responses.create({ model: 'slow-first-byte', input });
    assert.ok(Date.now() - t0 >= 190);
    assert.equal(slow.output_text, 'Hello from slow-first-byte: Say hi please');

    const seen: ResponseStreamEvent[] = [];
    await assert.rejects(async () => {
      for await (const e of await client.responses.create({ model: 'stream-drop', input, stream: true })) seen.push(e);
    });
    assert.deepEqual(typesOf(seen), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta']);
    await assert.rejects(client.responses.create({ model: 'stream-drop', input }));

    up.setBehaviour('error-500');
    await assert.rejects(client.responses.create({ model: 'gpt-5', input }), OpenAI.InternalServerError);
    up.setBehaviour(undefined);
    assert.equal((await client.responses.create({ model: 'gpt-5', instructions, input })).output_text, REPLY);
  });

  test('stored responses: retrieve, previous_response_id, delete; store:false is not kept', async () => {
    const first = await client.responses.create({ model: 'tools', input: 'Weather?', tools: [weather] });
    const got = await client.responses.retrieve(first.id);
    assert.deepEqual(got, { ...first, output_text: got.output_text });
    const call = first.output[0];
    assert.ok(call?.type === 'function_call');
    const second = await client.responses.create({
      model: 'tools', tools: [weather], previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    assert.equal(second.output_text, 'Tool said: sunny');
    assert.equal(second.previous_response_id, first.id);
    assert.ok((second.usage?.input_tokens ?? 0) > (first.usage?.input_tokens ?? 0));
    await client.responses.delete(first.id);
    await assert.rejects(client.responses.retrieve(first.id), OpenAI.NotFoundError);
    await assert.rejects(client.responses.create({ model: 'gpt-5', input, previous_response_id: first.id }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.code === 'previous_response_not_found');
    const unstored = await client.responses.create({ model: 'gpt-5', input, store: false });
    await assert.rejects(client.responses.retrieve(unstored.id), OpenAI.NotFoundError);
  });

  test('raw wire: event lines match data.type, no [DONE], JSON headers, invalid URL', async () => {
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const r = await fetch(`${up.url}/responses`, { method: 'POST', headers, body: JSON.stringify({ model: 'reasoning-tools', input, stream: true, tools: [weather], reasoning: { summary: 'auto' } }) });
    assert.equal(r.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.match(r.headers.get('x-request-id') ?? '', /^req_/);
    const text = await r.text();
    assert.ok(!text.includes('[DONE]'));
    const events = parseSse(text);
    assert.ok(events.every((e) => e.event === e.data['type']));
    assert.deepEqual(events.map((e) => e.data['sequence_number']), events.map((_, i) => i));
    const done = events.filter((e) => e.event === 'response.output_item.done').map((e) => (e.data['item'] as JsonObject)['type']);
    assert.deepEqual(done, ['reasoning', 'function_call']);
    const nope = await fetch(`${up.url}/chat/completions`, { method: 'POST', headers, body: '{}' });
    assert.equal(nope.status, 404);
    assert.deepEqual(await nope.json(), { error: { message: 'Invalid URL (POST /v1/chat/completions)', type: 'invalid_request_error', param: null, code: null } });
  });
});

describe('startOpenAIUpstream({ responses: true })', () => {
  test('serves chat completions and the Responses API on one server; without the option /responses is 404', async () => {
    const both = await startOpenAIUpstream({ apiKey: KEY, responses: true });
    const plain = await startOpenAIUpstream({ apiKey: KEY });
    try {
      const client = new OpenAI({ baseURL: both.url, apiKey: KEY, maxRetries: 0 });
      const chat = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: input }] });
      assert.equal(chat.choices[0]?.message.content, 'Hello from gpt-4o: Say hi please');
      const res = await client.responses.create({ model: 'gpt-4o', input });
      assert.equal(res.output_text, 'Hello from gpt-4o: Say hi please');
      assert.deepEqual(await client.responses.retrieve(res.id), { ...res, output_text: res.output_text });
      const events = await collect(await client.responses.create({ model: 'gpt-4o-reasoning', input, stream: true }));
      assert.deepEqual(typesOf(events).slice(-2), ['response.output_item.done', 'response.completed']);
      await assert.rejects(client.responses.create({ model: 'gpt-9', input }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.code === 'model_not_found');
      both.setBehaviour('error-429');
      await assert.rejects(client.responses.create({ model: 'gpt-4o', input }), OpenAI.RateLimitError);
      const without = new OpenAI({ baseURL: plain.url, apiKey: KEY, maxRetries: 0 });
      await assert.rejects(without.responses.create({ model: 'gpt-4o', input }), OpenAI.NotFoundError);
    } finally {
      await both.close();
      await plain.close();
    }
  });
});

describe('captured client requests replayed as sent', () => {
  let up: ResponsesUpstream;
  before(async () => {
    up = await startResponsesUpstream({ apiKey: 'sk-fake-lab', models: ['gpt-stub'] });
  });
  after(() => up.close());

  type Capture = { path: string; headers: Record<string, string>; body: JsonObject };
  const load = (file: string): Capture => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Capture;
  const replay = (c: Capture, key: string, body: JsonObject = c.body): Promise<globalThis.Response> => {
    const headers = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !['host', 'content-length', 'connection', 'accept-encoding'].includes(k)));
    return fetch(`${new URL(up.url).origin}${c.path}`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  };

  test('Codex CLI 0.169.0 request (streaming, developer messages, namespace + web_search tools)', async () => {
    const codex = load('codex-responses/001-POST_v1_responses.json');
    const r = await replay(codex, 'sk-fake-lab');
    assert.equal(r.status, 200);
    const events = parseSse(await r.text());
    const completed = events.at(-1)?.data;
    assert.equal(completed?.['type'], 'response.completed');
    const response = completed?.['response'] as JsonObject;
    const output = response['output'] as JsonObject[];
    assert.deepEqual((output[0]?.['content'] as JsonObject[])[0]?.['text'], 'Hello from gpt-stub: hi');
    assert.deepEqual([response['store'], response['prompt_cache_key'], response['parallel_tool_calls']], [false, codex.body['prompt_cache_key'], true]);
    assert.ok(((response['usage'] as JsonObject)['input_tokens_details'] as JsonObject)['cached_tokens'] as number > 0);
    assert.deepEqual(up.requests.at(-1)?.body, codex.body);

    // the same request on a tools + reasoning model: a reasoning item, then Codex's exec_command with a `cmd` string
    const withTools = parseSse(await (await replay(codex, 'sk-fake-lab', { ...codex.body, model: 'gpt-reasoning-tools' })).text());
    const items = withTools.filter((e) => e.event === 'response.output_item.done').map((e) => e.data['item'] as JsonObject);
    assert.deepEqual(items.map((i) => i['type']), ['reasoning', 'function_call']);
    assert.equal(items[1]?.['name'], 'exec_command');
    assert.deepEqual(JSON.parse(String(items[1]?.['arguments'])), { cmd: `echo ${TOOL_ECHO_TEXT}` });
    assert.equal((items[0]?.['summary'] as JsonObject[]).length, 1);
  });

  test('openai SDK 6.49.0 requests (non-stream and stream)', async () => {
    const plain = await replay(load('sdks/003-POST_v1_responses.json'), 'sk-fake-lab');
    assert.equal(((await plain.json()) as Response).output[0]?.type, 'message');
    const streamed = parseSse(await (await replay(load('sdks/004-POST_v1_responses.json'), 'sk-fake-lab')).text());
    assert.equal(streamed.at(-1)?.event, 'response.completed');
  });
});

describe('real Codex CLI', { skip: existsSync(CODEX) ? false : `${CODEX} is not installed` }, () => {
  let up: ResponsesUpstream;
  let home: string;
  let work: string;
  before(async () => {
    up = await startResponsesUpstream({ apiKey: 'sk-fake-lab', models: ['gpt-stub'] });
    home = mkdtempSync(join(tmpdir(), 'codex-home-'));
    work = mkdtempSync(join(tmpdir(), 'codex-work-'));
  });
  after(async () => {
    await up.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  /** `codex exec` with a custom `wire_api = "responses"` provider pointing at the fake; resolves stdout and exit code. */
  async function codexExec(model: string, prompt: string, flags: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
    writeFileSync(join(home, 'config.toml'), [
      `model = "${model}"`, 'model_provider = "lab"', '',
      '[model_providers.lab]', 'name = "Lab stub"', `base_url = "${up.url}"`, 'env_key = "LAB_API_KEY"', 'wire_api = "responses"',
      'request_max_retries = 0', 'stream_max_retries = 0', '',
      '[analytics]', 'enabled = false', '', '[otel]', 'exporter = "none"', 'metrics_exporter = "none"', '', '[features]', 'plugins = false', '',
    ].join('\n'));
    const child = spawn(CODEX, ['exec', '--skip-git-repo-check', ...flags, prompt], {
      cwd: work,
      env: { PATH: process.env['PATH'], HOME: home, CODEX_HOME: home, LAB_API_KEY: 'sk-fake-lab' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return { code, stdout, stderr };
  }

  test('plain answer', { timeout: 90_000 }, async () => {
    const run = await codexExec('gpt-stub', 'say hi');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'Hello from gpt-stub: say hi');
  });

  test('tool round trip: exec_command runs `echo`, its output comes back as function_call_output', { timeout: 90_000 }, async () => {
    const before = up.requests.length;
    const run = await codexExec('gpt-reasoning-tools', 'run the echo', ['-s', 'read-only']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Tool said: /);
    assert.ok(run.stdout.includes(TOOL_ECHO_TEXT));
    const second = up.requests.slice(before)[1]?.body as { input: JsonObject[] };
    assert.deepEqual(second.input.slice(-3).map((i) => i['type']), ['reasoning', 'function_call', 'function_call_output']);
  });

  test('an in-stream rate limit fails the run', { timeout: 90_000 }, async () => {
    const run = await codexExec('stream-error-429', 'say hi');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Rate limit reached/);
  });
});
