/** The scan steps over a large member it has seen twice before only when the bytes are the same; a changed byte anywhere is scanned. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scanJson } from '../../main/gateway/jsonBytes.ts'
import { forgetRepeatedMembers, repeatedMembersKept } from '../../main/gateway/repeatedMembers.ts'

const tools = JSON.stringify(Array.from({ length: 60 }, (_, i) => ({ name: `tool_${i}`, description: `Does thing ${i}. Use "quotes" \\ and [brackets] {braces} freely.`, input_schema: { type: 'object', properties: { a: { type: 'string' } } } })))
const body = (t: string, model = 'm') => Buffer.from(`{"model":"${model}","tools":${t},"messages":[{"role":"user","content":"hi"}]}`)

/** The scan of `bytes` with nothing remembered. */
function fresh(bytes: Buffer) {
  forgetRepeatedMembers()
  return scanJson(bytes, 64)
}

/** What a scan found, without the ranges it knows to be UTF-8 (only a scan that stepped over a member knows any). */
const found = ({ utf8Known: _, ...rest }: ReturnType<typeof scanJson>) => rest

/** Remember `tools` (seen twice). */
function seed() {
  scanJson(body(tools), 64)
  scanJson(body(tools, 'other'), 64)
}

test('a member seen twice is kept; later scans of it, anywhere in a body, give what a scan from scratch gives', () => {
  assert.ok(tools.length > 8 * 1024)
  for (const model of ['m', 'a-much-longer-model-name']) {
    const expected = fresh(body(tools, model))
    assert.equal(repeatedMembersKept().entries, 0)
    seed()
    assert.equal(repeatedMembersKept().entries, 1, 'kept the second time')
    assert.equal(expected.utf8Known, null)
    const again = scanJson(body(tools, model), 64)
    assert.deepEqual(found(again), found(expected))
    // Stepped over: the tools' bytes, and only those, are known to be UTF-8.
    const start = body(tools, model).indexOf('"tools":') + 8
    assert.deepEqual(again.utf8Known, [{ start, end: start + Buffer.byteLength(tools) }])
    assert.equal(repeatedMembersKept().entries, 1, 'not kept twice')
  }
})

test('a member of the same length with a byte changed at its start, middle or end is scanned, not stepped over', () => {
  const quotes = [...tools.matchAll(/"/g)].map((m) => m.index)
  const brackets = [...tools.matchAll(/\}\}/g)].map((m) => m.index) // structural: where schemas end, never in a description
  const at = (list: number[], where: number) => list[Math.min(list.length - 1, Math.floor(list.length * where))] as number
  for (const [what, list] of [['quote', quotes], ['bracket', brackets]] as const) {
    for (const where of [0, 0.5, 1]) {
      const i = at(list, where)
      const changed = body(tools.slice(0, i) + ' ' + tools.slice(i + 1))
      const expected = fresh(changed)
      seed()
      assert.deepEqual(scanJson(changed, 64), expected, `${what} at ${i}`) // utf8Known too: nothing was stepped over
      if (what === 'bracket') assert.equal(expected.members, null, 'an unbalanced member is no member')
    }
  }
})

test('a member kept from a scan without a depth limit still counts as too deep for a limited one', () => {
  const deep = `[${'['.repeat(80)}${'"x",'.repeat(3000)}"y"${']'.repeat(80)}]`
  const bytes = Buffer.from(`{"model":"m","deep":${deep}}`)
  scanJson(bytes, Number.POSITIVE_INFINITY)
  scanJson(bytes, Number.POSITIVE_INFINITY)
  scanJson(bytes, Number.POSITIVE_INFINITY)
  assert.equal(scanJson(bytes, 64).tooDeep, true)
  assert.equal(scanJson(bytes, Number.POSITIVE_INFINITY).tooDeep, false)
})

test('a repeated member that is not valid UTF-8 is stepped over but not known to be UTF-8', () => {
  forgetRepeatedMembers()
  const bad = Buffer.concat([Buffer.from(`{"model":"m","tools":`), Buffer.from(tools.slice(0, -1)), Buffer.from(',"'), Buffer.from([0xff]), Buffer.from('"]}')])
  for (let k = 0; k < 3; k++) scanJson(bad, 64)
  assert.equal(repeatedMembersKept().entries, 1)
  const scan = scanJson(bad, 64)
  assert.notEqual(scan.members, null)
  assert.equal(scan.utf8Known, null)
})
