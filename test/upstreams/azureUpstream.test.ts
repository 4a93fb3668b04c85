// Drives the fake Azure OpenAI upstream with the openai SDK's AzureOpenAI client (and raw fetch) to prove its wire format.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AzureOpenAI } from 'openai';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { startAzureUpstream } from '../support/upstreams/azureUpstream.ts';
import type { Upstream } from '../support/upstreams/upstreamServer.ts';

const KEY = 'azure-key-0123456789';
const API_VERSION = '2024-10-21';
const messages = [{ role: 'user' as const, content: 'Ping from azure' }];

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('Azure OpenAI upstream', () => {
  let up: Upstream;
  const azure = (deployment: string, apiKey = KEY): AzureOpenAI =>
    new AzureOpenAI({ endpoint: up.url, apiKey, apiVersion: API_VERSION, deployment, maxRetries: 0 });
  before(async () => {
    up = await startAzureUpstream({
      apiKey: KEY,
      apiVersions: [API_VERSION],
      deployments: { chat: 'gpt-4o-2024-08-06', instruct: 'gpt-35-turbo-instruct', embed: 'text-embedding-3-small', throttled: 'error-429' },
    });
  });
  after(() => up.close());

  test('chat completion: deployment route, api-key header, model of the deployment, filter results', async () => {
    const res = await azure('chat').chat.completions.create({ model: 'ignored', messages });
    assert.equal(res.model, 'gpt-4o-2024-08-06');
    assert.equal(res.choices[0]?.message.content, 'Hello from gpt-4o-2024-08-06: Ping from azure');
    assert.equal(res.usage?.prompt_tokens, 6);
    const extra = res as unknown as { prompt_filter_results: unknown[]; choices: { content_filter_results: unknown }[] };
    assert.equal(extra.prompt_filter_results.length, 1);
    assert.ok(extra.choices[0]?.content_filter_results);
    const rec = up.requests.at(-1);
    assert.equal(rec?.path, `/openai/deployments/chat/chat/completions?api-version=${API_VERSION}`);
    assert.equal(rec?.headers['api-key'], KEY);
  });

  test('chat stream: leading prompt_filter_results chunk with empty choices, then OpenAI chunks', async () => {
    const stream = await azure('chat').chat.completions.create({ model: 'chat', messages, stream: true, stream_options: { include_usage: true } });
    const chunks: ChatCompletionChunk[] = await collect(stream);
    assert.deepEqual([chunks[0]?.id, chunks[0]?.model, chunks[0]?.choices], ['', '', []]);
    assert.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'Hello from gpt-4o-2024-08-06: Ping from azure');
    assert.equal(chunks.at(-1)?.usage?.completion_tokens, 6);
  });

  test('completions and embeddings through deployments', async () => {
    const text = await azure('instruct').completions.create({ model: 'instruct', prompt: 'Tell me' });
    assert.equal(text.choices[0]?.text, 'Hello from gpt-35-turbo-instruct: Tell me');
    const emb = await azure('embed').embeddings.create({ model: 'embed', input: 'vector me' });
    assert.equal(emb.model, 'text-embedding-3-small');
    assert.equal(emb.data[0]?.embedding.length, 16);
    assert.equal(up.requests.at(-1)?.path, `/openai/deployments/embed/embeddings?api-version=${API_VERSION}`);
  });

  test('Entra bearer tokens are accepted only when equal to the key', async () => {
    const viaToken = (token: string): AzureOpenAI =>
      new AzureOpenAI({ endpoint: up.url, azureADTokenProvider: async () => token, apiVersion: API_VERSION, deployment: 'chat', maxRetries: 0 });
    const ok = await viaToken(KEY).chat.completions.create({ model: 'chat', messages });
    assert.equal(ok.model, 'gpt-4o-2024-08-06');
    assert.equal(up.requests.at(-1)?.headers['authorization'], `Bearer ${KEY}`);
    await assert.rejects(viaToken('not-it').chat.completions.create({ model: 'chat', messages }), OpenAI.AuthenticationError);
  });

  test('errors: wrong key 401, unknown deployment 404, scripted 429, api-version missing or unsupported', async () => {
    await assert.rejects(azure('chat', 'wrong').chat.completions.create({ model: 'chat', messages }), (e: unknown) =>
      e instanceof OpenAI.AuthenticationError && e.code === '401');
    await assert.rejects(azure('nope').chat.completions.create({ model: 'nope', messages }), (e: unknown) =>
      e instanceof OpenAI.NotFoundError && e.code === 'DeploymentNotFound');
    await assert.rejects(azure('throttled').chat.completions.create({ model: 'throttled', messages }), (e: unknown) =>
      e instanceof OpenAI.RateLimitError && e.code === '429' && e.headers.get('retry-after') === '1');
    const post = (query: string): Promise<Response> =>
      fetch(`${up.url}/openai/deployments/chat/chat/completions${query}`, {
        method: 'POST',
        headers: { 'api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ messages }),
      });
    const missing = await post('');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: '404', message: 'Resource not found' } });
    const unsupported = await post('?api-version=1999-01-01');
    assert.equal(unsupported.status, 400);
    assert.deepEqual(await unsupported.json(), { error: { code: 'BadRequest', message: 'API version not supported' } });
  });
});
