/**
 * The Gemini dialect beyond the golden files: round trips of every Gemini golden input, thought
 * signatures surviving a tool loop through another caller dialect, the canonical usage rule, and the
 * request shapes Gemini insists on (alternating roles, named function responses, no `model`).
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { ChatEvent } from '../../main/dialects/canonical.ts'
import { geminiToolCallId, splitToolCallId } from '../../main/dialects/gemini/request.ts'
import { sse } from '../../main/dialects/sse.ts'
import { dialects, translateRequest, translateResponse } from '../../main/dialects/translate.ts'

const gemini = dialects.gemini
const golden = fileURLToPath(new URL('./golden/', import.meta.url))

function goldenInputs(prefix: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const dir of readdirSync(golden).filter((d) => d.startsWith('gemini-to-'))) {
    for (const file of readdirSync(join(golden, dir))) {
      if (file.startsWith(prefix) && /\.in\.(json|sse)$/.test(file)) out.set(file, readFileSync(join(golden, dir, file), 'utf8'))
    }
  }
  return out
}

for (const [name, text] of goldenInputs('response-')) {
  test(`gemini response round trip: ${name}`, () => {
    const first = gemini.response.toCanonical(JSON.parse(text))
    const second = gemini.response.toCanonical(JSON.parse(JSON.stringify(gemini.response.fromCanonical(first))))
    assert.deepEqual(second, first)
  })
}

for (const [name, text] of goldenInputs('stream-')) {
  test(`gemini stream round trip: ${name}`, () => {
    const decode = (wire: string): ChatEvent[] => {
      const parser = sse.parser()
      const from = gemini.stream.toCanonical()
      return [...[...parser.push(wire), ...parser.end()].flatMap((e) => from.push(e)), ...from.end()]
    }
    const first = decode(text)
    const to = gemini.stream.fromCanonical()
    const second = decode(sse.write([...first.flatMap((e) => to.push(e)), ...to.end()]))
    // Usage may be reported at other points; what counts is the last figure (an error chunk carries none).
    const settled = (events: ChatEvent[]) => [
      ...events.filter((e) => e.type !== 'usage'),
      ...(events.at(-1)?.type === 'error' ? [] : [events.findLast((e) => e.type === 'usage')]),
    ]
    assert.deepEqual(settled(second), settled(first))
  })
}

test('a thought signature rides on the tool call id and comes back on the functionCall part', () => {
  const signature = 'CiQB0e2Kb/Zs+W4ZgFh1n0Q7Tj3yLB6X9u+v3u2z1mBn5rX8qSAKYgHR7YpvLxwA'
  const id = geminiToolCallId({ name: 'f' }, signature, 'call_r_0')
  assert.match(id, /^[A-Za-z0-9_-]+$/, 'a valid Anthropic tool id')
  assert.deepEqual(splitToolCallId(id), { id: 'call_r_0', signature })
  assert.deepEqual(splitToolCallId('toolu_01'), { id: 'toolu_01' })

  // Gemini answers with a signed call; an OpenAI chat caller sends the call and its result back.
  const answer = JSON.parse(readFileSync(join(golden, 'gemini-to-openai/response-function-calls.in.json'), 'utf8')) as unknown
  const chat = translateResponse(answer, 'gemini', 'openai').body as { choices: Array<{ message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> } }> }
  const calls = chat.choices[0]?.message.tool_calls ?? []
  const next = {
    model: 'gemini-2.5-flash',
    messages: [
      { role: 'user', content: 'Which theaters in Mountain View show Barbie movie?' },
      { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ ...c, type: 'function' })) },
      ...calls.map((c, i) => ({ role: 'tool', tool_call_id: c.id, content: i === 0 ? '{"theaters":["AMC Mountain View 16"]}' : 'no comedies' })),
    ],
  }
  const body = translateRequest(next, 'openai', 'gemini').body as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> }
  assert.deepEqual(body.contents.map((c) => c.role), ['user', 'model', 'user'])
  const [first, second] = body.contents[1]?.parts ?? []
  assert.equal(first?.thoughtSignature, signature)
  assert.equal(second?.thoughtSignature, undefined)
  assert.deepEqual(body.contents[2]?.parts, [
    { functionResponse: { name: 'find_theaters', response: { theaters: ['AMC Mountain View 16'] } } },
    { functionResponse: { name: 'find_movies', response: { output: 'no comedies' } } },
  ])
  assert.equal('model' in body, false)
})

test('usage: prompt tokens already hold the cached ones; thoughts are output and reasoning', () => {
  const r = gemini.response.toCanonical({
    candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 10, thoughtsTokenCount: 30, toolUsePromptTokenCount: 5, totalTokenCount: 145 },
  })
  assert.deepEqual(r.usage, { inputTokens: 105, outputTokens: 40, cacheReadTokens: 60, cacheWriteTokens: 0, reasoningTokens: 30 })
})

test('finish reasons', () => {
  const stop = (finishReason: string, parts: unknown[] = [{ text: 'x' }]) =>
    gemini.response.toCanonical({ candidates: [{ content: { role: 'model', parts }, finishReason }] }).stopReason
  assert.equal(stop('STOP'), 'end_turn')
  assert.equal(stop('STOP', [{ functionCall: { name: 'f', args: {} } }]), 'tool_use')
  assert.equal(stop('MAX_TOKENS'), 'max_tokens')
  assert.equal(stop('SAFETY'), 'content_filter')
  assert.equal(stop('RECITATION'), 'content_filter')
  assert.equal(stop('MALFORMED_FUNCTION_CALL'), 'error')
})

test('system entries between turns become user text; roles alternate; stop sequences capped at five', () => {
  const body = translateRequest(
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      stop_sequences: ['a', 'b', 'c', 'd', 'e', 'f'],
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'Reminder: be brief.' },
        { role: 'user', content: 'again' },
      ],
    },
    'anthropic',
    'gemini',
  ).body as { contents: unknown; systemInstruction: unknown; generationConfig: { stopSequences: string[] } }
  assert.deepEqual(body.systemInstruction, { parts: [{ text: 'You are terse.' }] })
  assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'hi' }, { text: 'Reminder: be brief.' }, { text: 'again' }] }])
  assert.equal(body.generationConfig.stopSequences.length, 5)
})

test('a stream cut before its finish reason ends in an error', () => {
  const from = gemini.stream.toCanonical()
  from.push({ data: JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }], responseId: 'r' }) })
  const end = from.end()
  assert.equal(end.at(-1)?.type, 'error')
})

test('errors: Google status names decide the kind, also inside streams and array-wrapped bodies', () => {
  assert.equal(gemini.error.toCanonical(429, { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }).kind, 'rate_limit')
  assert.equal(gemini.error.toCanonical(0, { error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } }).kind, 'overloaded')
  assert.equal(gemini.error.toCanonical(400, [{ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } }]).message, 'bad')
  assert.deepEqual(gemini.error.fromCanonical({ kind: 'overloaded', message: 'Overloaded', status: 529 }), {
    status: 503,
    body: { error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } },
  })
})
