/** The passthrough body splice: the caller's bytes with only the model replaced, or null where that would not be exact. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scanJson } from '../../main/gateway/jsonBytes.ts'
import { forgetRepeatedMembers } from '../../main/gateway/repeatedMembers.ts'
import { forwardWithModel, keepRaw, spliceModel, wireBody, wireParts } from '../../main/gateway/wireBody.ts'

test('splices the one top-level model string and leaves every other byte as the caller sent it', () => {
  const cases: Array<[raw: string, model: string, expected: string | null]> = [
    ['{"model":"@up/gpt-4o","messages":[]}', 'gpt-4o', '{"model":"gpt-4o","messages":[]}'],
    ['{ "messages" : [ {"role":"user","content":"the \\"model\\": \\"x\\""} ] , "model" : "@a/b" , "n": 1.0 }', 'b', '{ "messages" : [ {"role":"user","content":"the \\"model\\": \\"x\\""} ] , "model" : "b" , "n": 1.0 }'],
    ['{\n  "model": "m\\u00e9",\n  "stream": true\n}', 'quote"d', '{\n  "model": "quote\\"d",\n  "stream": true\n}'],
    ['{"metadata":{"model":"nested"},"model":"@x/y"}', 'y', '{"metadata":{"model":"nested"},"model":"y"}'],
    ['{"tools":[{"name":"model"}],"stop":["model"],"model":"@x/y"}', 'y', '{"tools":[{"name":"model"}],"stop":["model"],"model":"y"}'],
    ['{"a":"\\\\","model":"@x/y"}', 'y', '{"a":"\\\\","model":"y"}'],
    ['{"model":"é中","x":"ü"}', 'z', '{"model":"z","x":"ü"}'],
    // not exact: no model, a second one, a non-string one, or text that is cut short
    ['{"messages":[]}', 'y', null],
    ['{"model":"a","model":"b"}', 'y', null],
    ['{"model":null}', 'y', null],
    ['{"model":"a","other":{"model":1},"model":2}', 'y', null],
    ['{"model":"a', 'y', null],
  ]
  for (const [raw, model, expected] of cases) {
    const out = spliceModel(Buffer.from(raw), model)
    assert.equal(out?.toString('utf8') ?? null, expected, raw)
    if (out) assert.deepEqual(JSON.parse(out.toString('utf8')), { ...JSON.parse(raw), model }, raw)
  }
})

test('wireBody sends remembered bytes only for the body forwarded with its model; anything else is serialised', () => {
  const raw = Buffer.from('{ "model" : "@up/gpt-4o", "temperature": 1.0 }')
  const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
  keepRaw(body, raw, scanJson(raw, 512).model)
  const outgoing = { ...body, model: 'gpt-4o' }
  forwardWithModel(body, outgoing, 'gpt-4o')
  assert.equal(wireBody(outgoing).toString(), '{ "model" : "gpt-4o", "temperature": 1.0 }')
  // Sent in pieces that share the caller's memory: nothing of its body is copied.
  const parts = wireParts(outgoing)
  assert.deepEqual(parts.map((p) => p.toString()), ['{ "model" : ', '"gpt-4o"', ', "temperature": 1.0 }'])
  assert.equal((parts[0] as Buffer).buffer, raw.buffer)
  // Spliced once: a body forwarded from the spliced one is serialised, not spliced again.
  const again = { ...outgoing, model: 'x' }
  forwardWithModel(outgoing, again, 'x')
  assert.equal(wireBody(again).toString(), '{"model":"x","temperature":1}')
  // The model unchanged: the caller's bytes as they are.
  const same = { ...body, model: '@up/gpt-4o' }
  forwardWithModel(body, same, '@up/gpt-4o')
  assert.equal(wireBody(same), raw)
  // A rewritten body (a new object) has no bytes remembered.
  const redacted = { ...outgoing, temperature: 0 }
  assert.equal(wireBody(redacted).toString(), '{"model":"gpt-4o","temperature":0}')
  // Nor does any copy; and what is remembered shows nowhere a body is read, listed or serialised.
  for (const copy of [Object.assign({}, outgoing), structuredClone(outgoing)]) assert.equal(wireBody(copy).toString(), '{"model":"gpt-4o","temperature":1}')
  assert.deepEqual(Object.keys(outgoing), ['model', 'temperature'])
  assert.equal(JSON.stringify(outgoing), '{"model":"gpt-4o","temperature":1}')
  assert.deepEqual(outgoing, { model: 'gpt-4o', temperature: 1 })
  // Bytes that are not UTF-8 were parsed with replacement characters: those are what goes out.
  const bad = Buffer.concat([Buffer.from('{"model":"@up/m","x":"'), Buffer.from([0xff]), Buffer.from('"}')])
  const parsed = JSON.parse(bad.toString('utf8')) as Record<string, unknown>
  keepRaw(parsed, bad, scanJson(bad, 512).model)
  const out = { ...parsed, model: 'm' }
  forwardWithModel(parsed, out, 'm')
  assert.equal(wireBody(out).toString('utf8'), '{"model":"m","x":"\ufffd"}')
})

test('a body whose repeated members are known UTF-8 is still checked everywhere else: an invalid byte outside them is re-serialised', () => {
  forgetRepeatedMembers()
  const tools = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ name: `tool_${i}`, description: `Does thing ${i} — “quoted”` })))
  const bodyOf = (x: Buffer) => Buffer.concat([Buffer.from(`{"model":"@up/m","tools":${tools},"x":"`), x, Buffer.from('"}')])
  const forwarded = (raw: Buffer) => {
    const scan = scanJson(raw, 512)
    const parsed = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
    keepRaw(parsed, raw, scan.model, scan.utf8Known)
    const out = { ...parsed, model: 'm' }
    forwardWithModel(parsed, out, 'm')
    return { scan, wire: wireBody(out), pieces: wireParts(out).length }
  }
  for (let k = 0; k < 2; k++) forwarded(bodyOf(Buffer.from('ok')))
  const good = forwarded(bodyOf(Buffer.from('é')))
  assert.equal(good.scan.utf8Known?.length, 1, 'the tools were stepped over as known UTF-8')
  assert.deepEqual(good.wire, Buffer.from(bodyOf(Buffer.from('é')).toString('utf8').replace('"@up/m"', '"m"')), 'the caller\'s bytes')
  assert.equal(good.pieces, 3, 'spliced, not re-serialised')
  for (const bad of [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x80])]) {
    const raw = bodyOf(bad)
    const { scan, wire, pieces } = forwarded(raw)
    assert.equal(scan.utf8Known?.length, 1)
    // Re-serialised from the parse, replacement characters and all: the invalid bytes do not go out.
    // Compared as bytes: decoding would turn the invalid ones into replacement characters too.
    assert.deepEqual(wire, Buffer.from(JSON.stringify({ ...(JSON.parse(raw.toString('utf8')) as object), model: 'm' })), bad.toString('hex'))
    assert.ok(wire.subarray(-8).includes(Buffer.from('\ufffd')))
    assert.equal(pieces, 1)
  }
})
