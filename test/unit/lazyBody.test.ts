/** Large bodies with deferred members: the same object JSON.parse gives, members parsed only when read. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import { scanJson } from '../../main/gateway/jsonBytes.ts'
import { copyBody, deferredArray, firstItems, lazyBody } from '../../main/gateway/lazyBody.ts'

const tool = (i: number) => ({ name: `tool_${i}`, description: `Does thing ${i} — with “quotes” and → arrows`, input_schema: { type: 'object', properties: { path: { type: 'string' } } } })
const tools = Array.from({ length: 120 }, (_, i) => tool(i))
const big = { model: 'claude-x', max_tokens: 1024, system: 'You are helpful.', messages: [{ role: 'user', content: 'hi' }], tools, metadata: { user_id: 'u' }, stream: false }

function lazy(text: string): Record<string, unknown> | null {
  const bytes = Buffer.from(text)
  const members = scanJson(bytes, 512).members
  assert.ok(members, 'a well-formed object has members')
  return lazyBody(bytes, members)
}

test('a large body reads as JSON.parse reads it: values, key order, re-serialisation', () => {
  const texts = [
    JSON.stringify(big),
    JSON.stringify({ ...big, tools: undefined, extra: { tools } }), // a large object member
    JSON.stringify(big, null, 2), // spaces and newlines around everything
    `{"tools":${JSON.stringify(tools)},"model":"m","messages":[],"nested":{"__proto__":1},"n":-1.5e3,"t":true,"u":null}`,
  ]
  for (const text of texts) {
    const body = lazy(text)
    assert.ok(body, 'deferred')
    const expected = JSON.parse(text) as Record<string, unknown>
    assert.deepEqual(Object.keys(body), Object.keys(expected))
    assert.equal(JSON.stringify(body), JSON.stringify(expected))
    assert.deepEqual({ ...body }, expected)
  }
})

test('member names read right whether seen before or not: escapes, non-ASCII, same length, more names than are remembered', () => {
  // As they appear in the JSON text; each group of four is one body, its first member the large one.
  const names = ['"tools"', '"toolz"', '"t\\u006fols2"', '"caf\\u00e9"', '"café"', '"a\\"b"', '""', '"name"', ...Array.from({ length: 80 }, (_, i) => `"name_${i}"`)]
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < names.length; i += 4) {
      const text = `{${names.slice(i, i + 4).map((n, j) => `${n}:${j === 0 ? JSON.stringify(tools) : j}`).join(',')}}`
      const expected = JSON.parse(text) as Record<string, unknown>
      const body = lazy(text)
      assert.ok(body, text.slice(0, 40))
      assert.deepEqual(Object.keys(body), Object.keys(expected), `round ${round}: ${text.slice(0, 40)}`)
      assert.equal(JSON.stringify(body), JSON.stringify(expected))
    }
  }
})

test('a large member is parsed on its first read, once; small members are there from the start', () => {
  const body = lazy(JSON.stringify(big)) as Record<string, unknown>
  assert.equal(deferredArray(body, 'tools'), true)
  assert.equal(deferredArray(body, 'model'), null)
  assert.equal(body.model, 'claude-x')
  const first = body.tools
  assert.deepEqual(first, tools)
  assert.equal(body.tools, first, 'the same array on every read')
  assert.equal(deferredArray(body, 'tools'), null)
  assert.ok('tools' in body)
})

test('bodies that only a whole parse gets right are not deferred', () => {
  const tail = `,"tools":${JSON.stringify(tools)}}`
  assert.equal(lazy(`{"a":1,"a":2${tail}`), null, 'a duplicate name')
  assert.equal(lazy(`{"__proto__":{"x":1}${tail}`), null, 'an own __proto__')
  assert.equal(lazy('{"model":"m","messages":[]}'), null, 'nothing large')
  assert.equal(lazy(`{"system":${JSON.stringify('x'.repeat(20_000))},"model":"m"}`), null, 'a large string is parsed at once')
})

test('a deferred member that is not JSON refuses the call when it is read, in the body and in copies', () => {
  const text = JSON.stringify(big).replace('"tool_7"', '"tool_7" oops')
  const body = lazy(text) as Record<string, unknown>
  assert.throws(() => JSON.stringify(body), (e: unknown) => e instanceof GatewayError && e.code === 'invalid_json' && e.message.includes("'tools'"))
  assert.throws(() => copyBody(body).tools, (e: unknown) => e instanceof GatewayError && e.code === 'invalid_json')
  assert.equal(body.model, 'claude-x', 'the members that are JSON still read')
  // A small member is parsed at once: a mistake there refuses the call then.
  assert.throws(() => lazy(JSON.stringify(big).replace('"max_tokens":1024', '"max_tokens":10 24')), (e: unknown) => e instanceof GatewayError && e.code === 'invalid_json' && e.message.includes("'max_tokens'"))
})

test('a copy keeps members deferred, shares what they parse to, and keeps its own assignments', () => {
  const body = lazy(JSON.stringify(big)) as Record<string, unknown>
  const copy = copyBody(body)
  copy.model = 'other'
  assert.equal(deferredArray(copy, 'tools'), true)
  assert.equal(copy.tools, body.tools, 'one parse, one value, as spread shares values')
  copy.tools = []
  assert.deepEqual(copy.tools, [])
  assert.deepEqual(body.tools, tools)
  assert.equal(body.model, 'claude-x')
  delete copy.tools
  assert.ok(!('tools' in copy))
  assert.ok('tools' in body)
  const expected = { ...JSON.parse(JSON.stringify(big)), model: 'other' } as Record<string, unknown>
  delete expected.tools
  assert.deepEqual(JSON.parse(JSON.stringify(copy)), expected)
  // A plain body is copied as spread copies it.
  const plain = { a: 1 }
  assert.deepEqual(copyBody(plain), plain)
  assert.notEqual(copyBody(plain), plain)
})

test('firstItems parses only the first elements of a deferred array, and reads parsed or plain bodies as they are', () => {
  const history = Array.from({ length: 300 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} — ${'x'.repeat(40)}` }))
  // Broken after the first message: only a full parse would see it.
  const text = JSON.stringify({ model: 'm', messages: history }).replace('"turn 5 ', '"turn 5" oops "')
  const body = lazy(text) as Record<string, unknown>
  assert.deepEqual(firstItems(body, 'messages', 2), history.slice(0, 2))
  assert.equal(deferredArray(body, 'messages'), true, 'still deferred')
  assert.equal(firstItems(body, 'model', 1), undefined)
  assert.equal(firstItems(body, 'absent', 1), undefined)
  const whole = lazy(JSON.stringify({ model: 'm', messages: history })) as Record<string, unknown>
  assert.ok(Array.isArray(whole.messages))
  assert.deepEqual(firstItems(whole, 'messages', 1), history.slice(0, 1))
  assert.deepEqual(firstItems({ messages: history }, 'messages', 3), history.slice(0, 3))
  const copy = copyBody(lazy(JSON.stringify({ model: 'm', messages: history })) as Record<string, unknown>)
  assert.equal(deferredArray(copy, 'messages'), true)
  delete copy.messages
  assert.equal(firstItems(copy, 'messages', 1), undefined, 'a deleted member is gone')
})

test('a copy of a body whose deferred member was deleted and set again copies the value set', () => {
  const body = lazy(JSON.stringify(big)) as Record<string, unknown>
  delete body.tools
  body.tools = 'replaced'
  const copy = copyBody(body)
  assert.equal(copy.tools, 'replaced')
  assert.deepEqual(Object.keys(copy), Object.keys(body))
})
