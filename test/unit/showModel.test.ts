/** The model-name rewrite for aliased passthrough answers: only real `model` members, never text inside strings. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createModelRewriter, rewriteModel } from '../../main/gateway/showModel.ts'

test('object members are rewritten at any depth; strings that look like them are not', () => {
  const body = JSON.stringify({ id: 'x', model: 'mock-model', choices: [{ message: { content: 'my "model":"mock-model" {"model": "a"}' } }], response: { model: 'mock-model' } })
  const out = JSON.parse(rewriteModel(body, 'gpt-4o')) as { model: string; choices: Array<{ message: { content: string } }>; response: { model: string } }
  assert.equal(out.model, 'gpt-4o')
  assert.equal(out.response.model, 'gpt-4o')
  assert.equal(out.choices[0]?.message.content, 'my "model":"mock-model" {"model": "a"}')
  assert.equal(rewriteModel('{"a":1}', 'gpt-4o'), '{"a":1}')
})

test('streams: a member cut across chunks is still rewritten; bytes otherwise unchanged', () => {
  const r = createModelRewriter('claude-sonnet-4-5')
  const sse = 'event: message_start\ndata: {"type":"message_start","message":{"model":"claude-real-1","content":[]}}\n\n'
  const cut = sse.indexOf('real')
  const out = r.push(Buffer.from(sse.slice(0, cut))) + r.push(Buffer.from(sse.slice(cut))) + r.end()
  assert.equal(out, sse.replace('claude-real-1', 'claude-sonnet-4-5'))
})
