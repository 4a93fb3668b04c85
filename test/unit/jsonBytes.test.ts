/** Reading JSON bytes: the depth and model scan, and a parse that must equal JSON.parse of the UTF-8 text. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { arrayItems, lastTopLevelMember, NOT_FOUND, parseJsonBytes, scanJson } from '../../main/gateway/jsonBytes.ts'

const b = (s: string) => Buffer.from(s, 'utf8')

test('scanJson: counts arrays and objects, not brackets inside strings', () => {
  const cases: Array<[string, number, boolean]> = [
    ['{}', 1, false],
    ['{"a":[{}]}', 3, false],
    ['{"a":[{}]}', 2, true],
    ['{"a":"[[[[[[[[[["}', 1, false],
    ['{"a":"\\"[[[[[["}', 1, false],
    ['[1,[2,[3]]],[4]', 3, false],
    ['[1,[2,[3]]],[4]', 2, true],
    [`{"m":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 512, true],
  ]
  for (const [text, limit, expected] of cases) assert.equal(scanJson(b(text), limit).tooDeep, expected, `${text.slice(0, 30)} at ${limit}`)
})

test('scanJson: finds the one top-level model string, and nothing when a splice would not be exact', () => {
  const cases: Array<[string, string | null]> = [
    ['{"model":"@up/gpt-4o","messages":[]}', '"@up/gpt-4o"'],
    ['{ "messages":[{"model":"x"}], "model" : "m\\"q" }', '"m\\"q"'],
    ['{"tools":[{"name":"model"}],"stop":"model","model":"y"}', '"y"'],
    ['{"model":"a","model":"b"}', null],
    ['{"model":1}', null],
    ['{"model":"a","x":{"model":"c"},"model":null}', null],
    ['{"model":"a', null],
    ['{"model":"a"', null],
    ['{"x":1}', null],
  ]
  for (const [text, expected] of cases) {
    const at = scanJson(b(text), 512).model
    assert.equal(at ? text.slice(at.start, at.end) : null, expected, text)
  }
})

test('parseJsonBytes equals JSON.parse of the UTF-8 text, whatever the characters', () => {
  const bodies = [
    '{"model":"gpt-4o","messages":[{"role":"user","content":"hello"}]}',
    '{"system":"Claude Code — the CLI → fast… ≤ 2 × “quotes” 🤖","n":[1,2.5,-3e2,true,false,null]}',
    '{"é":"ü","中文":{"キー":["値","😀",{"ß":"straße"}]},"plain":"x"}',
    '{"escaped":"\\u00e9 and raw é","mixed":"\\u2014 and —"}',
    '{"only_escapes":"\\u2014\\u2192\\ud83e\\udd16","q":"\\"\\\\\\/\\b\\f\\n\\r\\t"}',
    '{"__proto__":"é","x":{"__proto__":{"é":1}}}',
    '"a top-level string — with a dash"',
    '[["é"],[["ü",["—"]]]]',
    `{"deep":${'['.repeat(300)}"é"${']'.repeat(300)}}`,
  ]
  for (const text of bodies) assert.deepEqual(parseJsonBytes(b(text)), JSON.parse(text), text.slice(0, 40))
  // __proto__ stays an own data property, as JSON.parse makes it, and pollutes nothing.
  const p = parseJsonBytes(b('{"__proto__":{"polluted":"é"}}')) as Record<string, unknown>
  assert.deepEqual(Object.getOwnPropertyDescriptor(p, '__proto__')?.value, { polluted: 'é' })
  assert.equal(({} as Record<string, unknown>).polluted, undefined)
  // Key order is kept when keys are re-decoded.
  assert.deepEqual(Object.keys(parseJsonBytes(b('{"a":1,"é":2,"b":3}')) as object), ['a', 'é', 'b'])
})

test('parseJsonBytes: invalid UTF-8 becomes U+FFFD as with toString, and bad JSON still throws', () => {
  const bad = Buffer.concat([b('{"x":"a'), Buffer.from([0xff, 0xe2, 0x80]), b('b","y":"'), Buffer.from([0xc3]), b('"}')])
  assert.deepEqual(parseJsonBytes(bad), JSON.parse(bad.toString('utf8')))
  assert.throws(() => parseJsonBytes(b('{"x":"é"')), SyntaxError)
  assert.throws(() => parseJsonBytes(b('{"x":1,}')), SyntaxError)
  // A backslash before raw non-ASCII is an invalid escape, long body or short, whatever follows.
  assert.throws(() => parseJsonBytes(b(`{"x":"a\\é${'y'.repeat(100)}"}`)), SyntaxError)
  assert.throws(() => parseJsonBytes(b('{"x":"a\\é"}')), SyntaxError)
  assert.deepEqual(parseJsonBytes(b(`{"x":"a\\\\é${'y'.repeat(100)}"}`)), { x: `a\\é${'y'.repeat(100)}` })
})

test('parseJsonBytes agrees with JSON.parse on random documents', () => {
  // Deterministic pseudo-random documents over ASCII, Latin-1, BMP and astral characters, raw and escaped.
  let seed = 42
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
  const alphabet = ['a', 'Z', ' ', '"', '\\', '/', '\n', 'é', 'ÿ', '\u0080', '—', '→', '中', '😀', '\u2028']
  const str = () => Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join('')
  const value = (d: number): unknown => {
    const k = rnd(d > 3 ? 3 : 6)
    if (k === 0) return str()
    if (k === 1) return rnd(1000) - 500
    if (k === 2) return rnd(2) === 0
    if (k === 3) return Array.from({ length: rnd(4) }, () => value(d + 1))
    return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), value(d + 1)]))
  }
  for (let i = 0; i < 500; i++) {
    const v = { doc: value(0) }
    // Half the time non-ASCII is written as \u escapes (Python's json.dumps default), including \u0080-\u00ff.
    const text = rnd(2) === 0 ? JSON.stringify(v) : JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    assert.deepEqual(parseJsonBytes(b(text)), JSON.parse(text), text)
  }
})

test('parseJsonBytes agrees with JSON.parse on any bytes, at any alignment: the same value or the same refusal', () => {
  // Byte-level noise (raw high bytes, broken sequences, stray backslashes) in documents long enough
  // for the word-at-a-time scan, placed at every offset inside a larger buffer.
  let seed = 7
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
  const noise = [[0xe2, 0x80, 0x94], [0xc3, 0xa9], [0xf0, 0x9f, 0xa4, 0x96], [0xff], [0xe2, 0x80], [0x5c], [0x5c, 0xc3, 0xa9], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]]
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() }
    } catch (err) {
      return { error: (err as Error).name }
    }
  }
  let valid = 0
  for (let i = 0; i < 400; i++) {
    const text = b(JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(rnd(200)) }], system: 'y'.repeat(rnd(100)), tools: [{ name: 'z'.repeat(rnd(40)) }] }))
    const parts: Buffer[] = []
    let at = 0
    while (at < text.length) {
      const next = Math.min(text.length, at + 1 + rnd(60))
      parts.push(text.subarray(at, next))
      // Most noise lands inside strings (the document is mostly string content); some breaks the JSON.
      if (rnd(10) === 0) parts.push(Buffer.from(noise[rnd(noise.length)] as number[]))
      at = next
    }
    const doc = Buffer.concat(parts)
    const offset = rnd(8)
    const host = Buffer.alloc(doc.length + 16)
    doc.copy(host, offset)
    const bytes = host.subarray(offset, offset + doc.length)
    const expected = outcome(() => JSON.parse(doc.toString('utf8')))
    assert.deepEqual(outcome(() => parseJsonBytes(bytes)), expected, doc.toString('utf8'))
    if ('value' in expected) valid++
  }
  // Every position of a lone high byte and of a two-byte character, at every alignment.
  for (const char of [[0xe9], [0xc3, 0xa9]]) {
    for (let pos = 0; pos < 90; pos++) {
      const doc = Buffer.concat([b(`{"s":"${'x'.repeat(pos)}`), Buffer.from(char), b(`${'x'.repeat(90 - pos)}"}`)])
      for (let offset = 0; offset < 4; offset++) {
        const host = Buffer.alloc(doc.length + 8)
        doc.copy(host, offset)
        assert.deepEqual(parseJsonBytes(host.subarray(offset, offset + doc.length)), JSON.parse(doc.toString('utf8')), `${pos}/${offset}`)
      }
    }
  }
  assert.ok(valid > 100 && valid < 390, `both kinds of document were tried (${valid} valid of 400)`)
})

test('lastTopLevelMember reads one top-level member alone, and NOT_FOUND where that would not be exact', () => {
  const cases: Array<[string, unknown]> = [
    ['{"id":"x","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10}}', { prompt_tokens: 19, completion_tokens: 10 }],
    ['{"usage":{"input_tokens":3},"service_tier":"default","system_fingerprint":"fp"}', { input_tokens: 3 }],
    ['{\n  "usage" : {\n    "a": [1, {"b": "}"}]\n  }\n}\n', { a: [1, { b: '}' }] }],
    ['{"content":"the \\"usage\\": {} field","usage":null}', null],
    ['{"usage":7,"x":true}', 7],
    ['{"usage":"é"}', 'é'],
    // not exact: absent, the last one nested, cut short, or not followed by the end of the object
    ['{"id":"x"}', NOT_FOUND],
    ['{"usage":{"p":1},"c":{"usage":{"q":2}}}', NOT_FOUND],
    ['[{"usage":{"p":1}}]', NOT_FOUND],
    ['{"usage":{"p":1}', NOT_FOUND],
    ['{"usage":{"p":1}}}', NOT_FOUND],
    ['{"usage" {"p":1}}', NOT_FOUND],
  ]
  for (const [text, expected] of cases) assert.deepEqual(lastTopLevelMember(b(text), 'usage'), expected, text)
})

test('scanJson: lists the top-level members of a well-formed object, and none when its top level is not', () => {
  const members = (text: string) => {
    const m = scanJson(b(text), 512).members
    return m && m.map((x) => [text.slice(x.key.start, x.key.end), text.slice(x.start, x.end)])
  }
  const cases: Array<[string, Array<[string, string]> | null]> = [
    ['{}', []],
    [' { } ', []],
    ['{"a":1}', [['"a"', '1']]],
    ['{ "a" : [1, {"b":"}"}] ,\n"c":"x\\"y", "d": null ,"e":{"f":[]}}', [['"a"', '[1, {"b":"}"}]'], ['"c"', '"x\\"y"'], ['"d"', 'null'], ['"e"', '{"f":[]}']]],
    ['{"a":1,"a":2}', [['"a"', '1'], ['"a"', '2']]],
    ['{"a":1,}', null], // trailing comma
    ['{"a" 1}', null], // no colon
    ['{"a":}', [['"a"', '']]], // an empty value: its own parse refuses it
    ['{"a":1 "b":2}', null], // a missing comma
    ['{"a":[1] 2}', null], // more after an array
    ['{"a":"x" "y"}', null], // more after a string
    ['{"a":1 [2]}', null], // an array after a scalar
    ['{"a":[1] [2]}', null],
    ['{"a":{} {}, "b":1}', null],
    ['{"a":1} x', null], // text after the object
    ['{"a":1}{}', null],
    ['[1,2]', null], // not an object
    ['{"a":[1,2}', null], // cut short
    ['{1:2}', null], // a key that is not a string
  ]
  for (const [text, expected] of cases) assert.deepEqual(members(text), expected, text)
})

test('arrayItems: the first elements of an array by bracket matching, or null when it is not one', () => {
  const items = (text: string, n: number) => arrayItems(b(text), n)?.map((r) => text.slice(r.start, r.end)) ?? null
  assert.deepEqual(items('[]', 2), [])
  assert.deepEqual(items('[ ]', 2), [])
  assert.deepEqual(items('[{"a":"]"}, [1,[2]] ,"x\\"]", 3]', 3), ['{"a":"]"}', '[1,[2]]', '"x\\"]"'])
  assert.deepEqual(items('[1,2,3]', 2), ['1', '2'])
  assert.deepEqual(items('[1 ]', 5), ['1 '])
  assert.equal(items('{"a":1}', 1), null)
  assert.equal(items('[{"a":1}', 1), null)
  assert.equal(items('[{} {}]', 2), null)
})

test('arrayItems: an object element the caller knows (knownEnd) is stepped over at the end it gives, not scanned', () => {
  const text = '[{"k":"known ] } ,"}, {"n":2}, 3]'
  const known = '{"k":"known ] } ,"}'
  const asked: Array<[number, number]> = []
  // Ends one byte short of the real end on purpose: the walk must take the caller's word, not rescan.
  const ranges = arrayItems(b(text), 3, (bytes, i, index) => {
    asked.push([i, index])
    return index === 0 && bytes.toString('latin1', i, i + known.length) === known ? i + known.length : -1
  })
  assert.deepEqual(ranges?.map((r) => text.slice(r.start, r.end)), [known, '{"n":2}', '3'])
  // Asked for each object element at its position and index; not for scalars.
  assert.deepEqual(asked, [[1, 0], [text.indexOf('{"n"'), 1]])
  // An end the caller gives is where the next element is looked for: a wrong one shows in the result.
  const shifted = arrayItems(b(text), 2, (_bytes, i, index) => (index === 0 ? i + known.length - 1 : -1))
  assert.equal(shifted, null)
})
