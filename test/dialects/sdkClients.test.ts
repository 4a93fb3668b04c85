/**
 * The official SDKs as judges: every translated stream in the golden files is fed to the SDK a caller of
 * that dialect would use (the Anthropic SDK that Claude Code is built on, the OpenAI SDK for chat and
 * Responses), through a fake `fetch`. The SDK's own accumulator must rebuild a coherent message: text,
 * parsed tool arguments, thinking, usage, or raise the in-stream error. No sockets.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'

const golden = fileURLToPath(new URL('./golden/', import.meta.url))

function fakeFetch(body: string, contentType = 'text/event-stream'): typeof fetch {
  return async () => new Response(body, { status: 200, headers: { 'content-type': contentType } })
}

function outputs(caller: string, kind: 'stream' | 'response'): { name: string; text: string }[] {
  const found: { name: string; text: string }[] = []
  for (const dir of readdirSync(golden)) {
    if (!dir.endsWith(`-to-${caller}`)) continue
    for (const file of readdirSync(join(golden, dir))) {
      if (!file.startsWith(`${kind}-`) || !/\.out\.(sse|json)$/.test(file)) continue
      found.push({ name: `${dir}/${file}`, text: readFileSync(join(golden, dir, file), 'utf8') })
    }
  }
  return found
}

const isError = (text: string) => text.includes('event: error') || text.includes('data: {"error"')

for (const { name, text } of outputs('anthropic', 'stream')) {
  test(`@anthropic-ai/sdk accumulates ${name}`, async () => {
    const client = new Anthropic({ apiKey: 'x', fetch: fakeFetch(text), maxRetries: 0 })
    const stream = client.messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    if (isError(text)) return void (await assert.rejects(stream.finalMessage()))
    const message = await stream.finalMessage()
    assert.ok(message.content.length > 0)
    assert.ok(message.stop_reason)
    for (const block of message.content) {
      if (block.type === 'tool_use') assert.equal(typeof block.input, 'object')
      if (block.type === 'text') assert.ok(block.text.length > 0)
      if (block.type === 'thinking') assert.ok(block.thinking.length > 0)
    }
    const wire = text.split('\n').filter((l) => l.startsWith('data: {"type":"message_delta"'))
    const usage = JSON.parse(wire.at(-1)?.slice(6) ?? '{}').usage
    assert.equal(message.usage.output_tokens, usage.output_tokens)
    assert.equal(message.usage.input_tokens, usage.input_tokens)
  })
}

for (const { name, text } of outputs('openai', 'stream')) {
  test(`openai SDK (chat) accumulates ${name}`, async () => {
    const client = new OpenAI({ apiKey: 'x', fetch: fakeFetch(text), maxRetries: 0 })
    const stream = client.chat.completions.stream({ model: 'gpt-x', messages: [{ role: 'user', content: 'hi' }] })
    if (isError(text)) return void (await assert.rejects(stream.finalChatCompletion()))
    const completion = await stream.finalChatCompletion()
    const choice = completion.choices[0]
    assert.ok(choice?.finish_reason)
    for (const call of choice.message.tool_calls ?? []) {
      assert.ok(call.type === 'function')
      assert.equal(typeof JSON.parse(call.function.arguments), 'object')
    }
    assert.ok(choice.message.content || choice.message.tool_calls?.length)
  })
}

for (const { name, text } of outputs('responses', 'stream')) {
  test(`openai SDK (responses) accumulates ${name}`, async () => {
    const client = new OpenAI({ apiKey: 'x', fetch: fakeFetch(text), maxRetries: 0 })
    const stream = client.responses.stream({ model: 'gpt-x', input: 'hi' })
    if (isError(text)) return void (await assert.rejects(stream.finalResponse()))
    const response = await stream.finalResponse()
    assert.ok(response.status === 'completed' || response.status === 'incomplete')
    assert.ok(response.output.length > 0)
    assert.ok(response.usage && response.usage.total_tokens > 0)
    for (const item of response.output) if (item.type === 'function_call') assert.equal(typeof JSON.parse(item.arguments), 'object')
  })
}

for (const { name, text } of outputs('responses', 'response')) {
  test(`openai SDK (responses) reads ${name}`, async () => {
    const client = new OpenAI({ apiKey: 'x', fetch: fakeFetch(text, 'application/json'), maxRetries: 0 })
    const response = await client.responses.create({ model: 'gpt-x', input: 'hi' })
    const texts = response.output.flatMap((i) => (i.type === 'message' ? i.content : []))
    assert.equal(response.output_text, texts.map((c) => (c.type === 'output_text' ? c.text : '')).join(''))
  })
}
