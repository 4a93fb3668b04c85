import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exceedsJsonDepth } from '../../main/gateway/jsonDepth.ts'

const b = (s: string) => Buffer.from(s, 'utf8')

test('exceedsJsonDepth: counts arrays and objects, not brackets inside strings', () => {
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
  for (const [text, limit, expected] of cases) assert.equal(exceedsJsonDepth(b(text), limit), expected, `${text.slice(0, 30)} at ${limit}`)
})
