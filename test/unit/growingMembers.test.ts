/** The scan resumes an array member where the previous call's same member ended only when its bytes start with that member; the result is always a scan from scratch's. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scanJson } from '../../main/gateway/jsonBytes.ts'
import { forgetGrowingMembers, resumeGrowing } from '../../main/gateway/growingMembers.ts'
import { forgetRepeatedMembers } from '../../main/gateway/repeatedMembers.ts'

const turn = (i: number) => [{ role: 'assistant', content: [{ type: 'text', text: `Answer ${i}: "quoted" \\ [brackets] {braces}` }] }, { role: 'user', content: `Question ${i + 1}?` }]
const history = (k: number) => [{ role: 'user', content: 'x'.repeat(9000) }, ...Array.from({ length: k }, (_, i) => turn(i)).flat()]
const body = (messages: string, tail = ',"stream":false') => Buffer.from(`{"model":"m","messages":${messages}${tail}}`)

/** The scan of `bytes` with nothing remembered. */
function fresh(bytes: Buffer, limit = 64) {
  forgetGrowingMembers()
  forgetRepeatedMembers()
  return scanJson(bytes, limit)
}

/** The session so far: calls with 0..k-1 turns scanned, so the last is remembered. */
function session(k: number, limit = 64) {
  forgetGrowingMembers()
  forgetRepeatedMembers()
  for (let j = 0; j < k; j++) scanJson(body(JSON.stringify(history(j))), limit)
}

test('a conversation one turn longer resumes where the last call ended, and the scan is the one from scratch', () => {
  for (const k of [1, 2, 5]) {
    const next = body(JSON.stringify(history(k)))
    const expected = fresh(next)
    session(k)
    const start = next.indexOf('[')
    assert.ok(resumeGrowing(next, start, 64), `resumable after ${k} calls`)
    assert.deepEqual(scanJson(next, 64), expected)
  }
  // Pretty-printed, and the same conversation again (a retry): still the scan from scratch.
  const pretty = JSON.stringify(history(3), null, 2)
  forgetGrowingMembers()
  scanJson(body(JSON.stringify(history(2), null, 2)), 64)
  assert.deepEqual(scanJson(body(pretty), 64), fresh(body(pretty)))
  session(3)
  assert.deepEqual(scanJson(body(JSON.stringify(history(2))), 64), fresh(body(JSON.stringify(history(2)))))
})

test('a byte changed in the part seen before, or a shorter or malformed continuation, is scanned from scratch', () => {
  const next = JSON.stringify(history(4))
  const prev = JSON.stringify(history(3))
  const at = [10, Math.floor(prev.length / 2), prev.length - 3]
  for (const i of at) {
    for (const ch of [' ', '"', '[', '}']) {
      const changed = body(next.slice(0, i) + ch + next.slice(i + 1))
      const expected = fresh(changed)
      session(4)
      assert.deepEqual(scanJson(changed, 64), expected, `${JSON.stringify(ch)} at ${i}`)
    }
  }
  for (const text of [next.slice(0, -1), `${prev.slice(0, -1)},{"role":"user","content":"unterminated}]`, `${prev.slice(0, -1)},[[[`, prev.slice(0, -1)]) {
    const b = body(text)
    const expected = fresh(b)
    session(4)
    assert.deepEqual(scanJson(b, 64), expected, text.slice(-40))
    assert.equal(expected.members, null)
  }
})

test('a member remembered from a scan with another depth limit is not resumed', () => {
  const deep = (k: number) => `[${'['.repeat(70)}"${'y'.repeat(9000)}"${']'.repeat(70)}${',"z"'.repeat(k)}]`
  forgetGrowingMembers()
  scanJson(body(deep(0)), Number.POSITIVE_INFINITY)
  assert.equal(scanJson(body(deep(1)), 64).tooDeep, true)
  assert.equal(scanJson(body(deep(2)), Number.POSITIVE_INFINITY).tooDeep, false)
})

test('interleaved sessions each resume their own conversation; a fifth evicts the least recently used', () => {
  const other = (c: string) => (k: number) => [{ role: 'user', content: c.repeat(9000) }, ...Array.from({ length: k }, (_, i) => turn(i + 100)).flat()]
  // Four sessions fill the slots; each call's member replaces its session's, so all four keep resuming.
  const sessions = [history, other('o'), other('p'), other('q')]
  forgetGrowingMembers()
  for (let k = 0; k < 4; k++) {
    sessions.forEach((h, s) => {
      const b = body(JSON.stringify(h(k)))
      if (k > 0) assert.ok(resumeGrowing(b, b.indexOf('['), 64), `session ${s} resumed at call ${k}`)
      scanJson(b, 64)
    })
  }
  // A fifth session takes the slot of the one used longest ago (session 0), and the others still resume.
  scanJson(body(JSON.stringify(other('r')(0))), 64)
  const stale = body(JSON.stringify(history(4)))
  assert.equal(resumeGrowing(stale, stale.indexOf('['), 64), null)
  for (const h of sessions.slice(1)) {
    const b = body(JSON.stringify(h(4)))
    assert.ok(resumeGrowing(b, b.indexOf('['), 64))
  }
})

test('a body over 2 MB is not kept', () => {
  const huge = (k: number) => [{ role: 'user', content: 'h'.repeat(2.1 * 1024 * 1024) }, ...Array.from({ length: k }, (_, i) => turn(i)).flat()]
  forgetGrowingMembers()
  scanJson(body(JSON.stringify(huge(0))), 64)
  const next = body(JSON.stringify(huge(1)))
  assert.equal(resumeGrowing(next, next.indexOf('['), 64), null)
  assert.deepEqual(scanJson(next, 64), fresh(next))
})
