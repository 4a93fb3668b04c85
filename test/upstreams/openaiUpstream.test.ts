// Drives the fake OpenAI upstream with the real openai SDK (and raw fetch for wire details) to prove its wire format.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { startOpenAIUpstream } from '../support/upstreams/openaiUpstream.ts';
import type { Upstream } from '../support/upstreams/upstreamServer.ts';

const KEY = 'sk-test-1234567890abcd';
const messages = [
  { role: 'system' as const, content: 'You are terse' },
  { role: 'user' as const, content: 'Say hi please' },
];
// 3 + 3 words, 3 tokens per message
const PROMPT_TOKENS = 12;
const REPLY = 'Hello from gpt-4o: Say hi please';

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}
const contentOf = (chunks: ChatCompletionChunk[]): string => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('OpenAI upstream', () => {
  let up: Upstream;
  let client: OpenAI;
  before(async () => {
    up = await startOpenAIUpstream({ apiKey: KEY });
    client = new OpenAI({ baseURL: up.url, apiKey: KEY, maxRetries: 0 });
  });
  after(() => up.close());

  test('chat completion: deterministic reply, usage, recorded request with unknown fields', async () => {
    const params: ChatCompletionCreateParamsNonStreaming & { top_k: number } = { model: 'gpt-4o', messages, top_k: 5 };
    const res = await client.chat.completions.create(params);
    assert.equal(res.object, 'chat.completion');
    assert.match(res.id, /^chatcmpl-/);
    assert.equal(res.model, 'gpt-4o');
    assert.equal(res.choices[0]?.message.content, REPLY);
    assert.equal(res.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(
      { p: res.usage?.prompt_tokens, c: res.usage?.completion_tokens, t: res.usage?.total_tokens, cached: res.usage?.prompt_tokens_details?.cached_tokens },
      { p: PROMPT_TOKENS, c: 6, t: PROMPT_TOKENS + 6, cached: 0 },
    );
    const rec = up.requests.at(-1);
    assert.equal(rec?.method, 'POST');
    assert.equal(rec?.path, '/v1/chat/completions');
    assert.equal(rec?.headers['authorization'], `Bearer ${KEY}`);
    assert.deepEqual(rec?.body, params);
  });

  test('cached tokens for a request with `user` or a `cached` model, and max_tokens truncation', async () => {
    const withUser = await client.chat.completions.create({ model: 'gpt-4o', messages, user: 'u1' });
    assert.equal(withUser.usage?.prompt_tokens_details?.cached_tokens, PROMPT_TOKENS / 2);
    const cachedModel = await client.chat.completions.create({ model: 'cached', messages });
    assert.equal(cachedModel.usage?.prompt_tokens_details?.cached_tokens, PROMPT_TOKENS / 2);
    const short = await client.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 2 });
    assert.equal(short.choices[0]?.message.content, 'Hello from');
    assert.equal(short.choices[0]?.finish_reason, 'length');
    assert.equal(short.usage?.completion_tokens, 2);
  });

  test('chat stream without stream_options: role chunk, one chunk per word, finish chunk, no usage field', async () => {
    const chunks = await collect(await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    assert.equal(chunks.length, 1 + 6 + 1);
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: '', refusal: null });
    assert.equal(contentOf(chunks), REPLY);
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'stop');
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && !('usage' in c) && c.id === chunks[0]?.id));
  });

  test('chat stream with include_usage: usage:null on every chunk, then a choices:[] usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = await collect(stream);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.equal(last?.usage?.prompt_tokens, PROMPT_TOKENS);
    assert.equal(last?.usage?.completion_tokens, 6);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
    assert.equal(contentOf(chunks), REPLY);
  });

  test('tools: tool_calls message and streamed argument deltas', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }];
    const res = await client.chat.completions.create({ model: 'tools', messages, tools });
    const call = res.choices[0]?.message.tool_calls?.[0];
    assert.equal(res.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(res.choices[0]?.message.content, null);
    assert.ok(call?.type === 'function');
    assert.equal(call.function.name, 'lookup');
    assert.deepEqual(JSON.parse(call.function.arguments), { input: 'Say hi please' });

    const chunks = await collect(await client.chat.completions.create({ model: 'tools', messages, tools, stream: true }));
    const first = chunks[0]?.choices[0]?.delta.tool_calls?.[0];
    assert.equal(first?.function?.name, 'lookup');
    assert.match(first?.id ?? '', /^call_/);
    const args = chunks.map((c) => c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '').join('');
    assert.deepEqual(JSON.parse(args), { input: 'Say hi please' });
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'tool_calls');
  });

  test('legacy completions, stream and not', async () => {
    const res = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Write a haiku' });
    assert.equal(res.object, 'text_completion');
    assert.equal(res.choices[0]?.text, 'Hello from gpt-3.5-turbo-instruct: Write a haiku');
    assert.deepEqual(res.usage, { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 });
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Write a haiku', stream: true, stream_options: { include_usage: true } });
    const chunks = await collect(stream);
    assert.equal(chunks.map((c) => c.choices[0]?.text ?? '').join(''), 'Hello from gpt-3.5-turbo-instruct: Write a haiku');
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(chunks.at(-1)?.choices, []);
    assert.equal(chunks.at(-1)?.usage?.total_tokens, 9);
  });

  test('embeddings: float, SDK-default base64 (decoded), explicit base64, arrays, dimensions', async () => {
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'], encoding_format: 'float' });
    assert.equal(float.object, 'list');
    assert.equal(float.data.length, 2);
    assert.equal(float.data[0]?.embedding.length, 16);
    assert.deepEqual(float.usage, { prompt_tokens: 3, total_tokens: 3 });
    assert.equal(up.requests.at(-1)?.path, '/v1/embeddings');

    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'] });
    assert.equal((up.requests.at(-1)?.body as { encoding_format?: string }).encoding_format, 'base64');
    assert.deepEqual(decoded.data.map((d) => d.embedding), float.data.map((d) => d.embedding));

    const b64 = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha beta', encoding_format: 'base64', dimensions: 4 });
    const raw = b64.data[0]?.embedding as unknown as string;
    assert.equal(typeof raw, 'string');
    const buf = Buffer.from(raw, 'base64');
    const values = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
    assert.deepEqual(values, float.data[0]?.embedding.slice(0, 4));
  });

  test('models list and retrieve', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('gpt-4o') && ids.includes('text-embedding-3-small'));
    const one = await client.models.retrieve('gpt-4o-mini');
    assert.deepEqual([one.id, one.object], ['gpt-4o-mini', 'model']);
  });

  test('auth and model errors match OpenAI', async () => {
    const bad = new OpenAI({ baseURL: up.url, apiKey: 'sk-wrong-key-000000', maxRetries: 0 });
    await assert.rejects(bad.models.list(), (e: unknown) =>
      e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === 'invalid_api_key' && e.type === 'invalid_request_error');
    const missing = await fetch(`${up.url}/models`);
    assert.equal(missing.status, 401);
    const body = (await missing.json()) as { error: { message: string; code: null } };
    assert.match(body.error.message, /^You didn't provide an API key/);
    assert.equal(body.error.code, null);
    await assert.rejects(client.chat.completions.create({ model: 'gpt-9', messages }), (e: unknown) =>
      e instanceof OpenAI.NotFoundError && e.code === 'model_not_found' && e.message.includes('The model `gpt-9` does not exist'));
  });

  test('scripted errors: 429 with retry-after, 500, 400 with param', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'error-429', messages }), (e: unknown) =>
      e instanceof OpenAI.RateLimitError && e.code === 'rate_limit_exceeded' && e.headers.get('retry-after') === '1');
    await assert.rejects(client.chat.completions.create({ model: 'error-500', messages, stream: true }), (e: unknown) =>
      e instanceof OpenAI.InternalServerError && e.type === 'server_error');
    await assert.rejects(client.chat.completions.create({ model: 'error-400', messages }), (e: unknown) =>
      e instanceof OpenAI.BadRequestError && e.param === 'temperature' && e.type === 'invalid_request_error');
  });

  test('slow-first-byte waits before headers; stream-drop cuts the stream after two chunks', async () => {
    const t0 = Date.now();
    const slow = await client.chat.completions.create({ model: 'slow-first-byte', messages });
    assert.ok(Date.now() - t0 >= 190);
    assert.equal(slow.choices[0]?.message.content, 'Hello from slow-first-byte: Say hi please');

    const seen: ChatCompletionChunk[] = [];
    await assert.rejects(async () => {
      for await (const c of await client.chat.completions.create({ model: 'stream-drop', messages, stream: true })) seen.push(c);
    });
    assert.equal(seen.length, 2);
    await assert.rejects(client.chat.completions.create({ model: 'stream-drop', messages }));
  });

  test('setBehaviour forces a behaviour for any model until cleared', async () => {
    up.setBehaviour('error-500');
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages }), OpenAI.InternalServerError);
    up.setBehaviour(undefined);
    assert.equal((await client.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]?.message.content, REPLY);
  });

  test('raw wire: headers, SSE framing, [DONE] terminator, invalid URL', async () => {
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const json = await fetch(`${up.url}/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-4o', messages }) });
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.match(json.headers.get('x-request-id') ?? '', /^req_/);
    const sse = await fetch(`${up.url}/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: 'gpt-4o', messages, stream: true }) });
    assert.equal(sse.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const text = await sse.text();
    assert.ok(text.startsWith('data: {') && text.endsWith('data: [DONE]\n\n'));
    assert.ok(text.split('\n\n').filter(Boolean).every((e) => e.startsWith('data: ')));
    const nope = await fetch(`${up.url}/nope`, { method: 'POST', headers, body: '{}' });
    assert.equal(nope.status, 404);
    assert.deepEqual(await nope.json(), { error: { message: 'Invalid URL (POST /v1/nope)', type: 'invalid_request_error', param: null, code: null } });
    const badJson = await fetch(`${up.url}/chat/completions`, { method: 'POST', headers, body: '{oops' });
    assert.equal(badJson.status, 400);
    assert.equal(up.requests.at(-1)?.body, '{oops');
  });
});

describe('OpenAI upstream usageInStream variants and path prefix', () => {
  test("'always' puts usage on the finish chunk without include_usage; 'never' ignores include_usage", async () => {
    const always = await startOpenAIUpstream({ usageInStream: 'always', pathPrefix: '/api/v1', models: ['mistral-small'] });
    const never = await startOpenAIUpstream({ usageInStream: 'never', pathPrefix: '' });
    try {
      assert.ok(always.url.endsWith('/api/v1'));
      const a = await collect(await new OpenAI({ baseURL: always.url, apiKey: 'x' }).chat.completions.create({ model: 'mistral-small', messages, stream: true }));
      assert.equal(a.at(-1)?.choices[0]?.finish_reason, 'stop');
      assert.equal(a.at(-1)?.usage?.prompt_tokens, PROMPT_TOKENS);
      assert.ok(a.slice(0, -1).every((c) => !('usage' in c)));
      const n = await collect(
        await new OpenAI({ baseURL: never.url, apiKey: 'x' }).chat.completions.create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } }),
      );
      assert.ok(n.every((c) => !('usage' in c) && c.choices.length === 1));
      assert.equal(never.requests[0]?.path, '/chat/completions');
    } finally {
      await Promise.all([always.close(), never.close()]);
    }
  });
});
