// Pure helpers of the new views: line diff, alias matching and reordering, model snippets.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lineDiff } from '../../renderer/lib/lineDiff.ts'
import { matchAlias, moveItem } from '../../renderer/lib/matchAlias.ts'
import { modelSnippets } from '../../renderer/lib/snippets.ts'

test('lineDiff marks removed and added lines around the common ones', () => {
  assert.deepEqual(lineDiff('a\nb\nc', 'a\nx\nc\nd'), [
    { op: ' ', text: 'a' },
    { op: '-', text: 'b' },
    { op: '+', text: 'x' },
    { op: ' ', text: 'c' },
    { op: '+', text: 'd' },
  ])
  assert.deepEqual(lineDiff('', 'n'), [{ op: '+', text: 'n' }])
  assert.deepEqual(lineDiff('same', 'same'), [{ op: ' ', text: 'same' }])
})

test('matchAlias: first match in order wins; wildcards; @slug/* keeps the name', () => {
  const aliases = [
    { pattern: 'claude-haiku-*', target: '@cheap/*' },
    { pattern: 'claude-*', target: '@main/claude-sonnet-4-5' },
    { pattern: 'gpt.4o', target: '@x/y' },
  ]
  assert.deepEqual(matchAlias(aliases, 'claude-haiku-4-5'), { index: 0, target: '@cheap/claude-haiku-4-5' })
  assert.deepEqual(matchAlias(aliases, 'claude-opus-4'), { index: 1, target: '@main/claude-sonnet-4-5' })
  assert.equal(matchAlias(aliases, 'gpt-4o'), null, 'a dot is literal, not any character')
  assert.deepEqual(matchAlias(aliases, 'gpt.4o'), { index: 2, target: '@x/y' })
})

test('moveItem reorders; out-of-range moves change nothing', () => {
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 0), ['c', 'a', 'b'])
  assert.deepEqual(moveItem(['a', 'b'], 0, 5), ['a', 'b'])
})

test('snippets name the gateway and the exact model string in every form', () => {
  const s = modelSnippets('http://127.0.0.1:8787', '@openai/gpt-4o')
  assert.deepEqual(s.map((x) => x.id), ['curl', 'openai-js', 'openai-py', 'anthropic', 'claude-code', 'codex'])
  for (const x of s) assert.ok(x.text.includes('@openai/gpt-4o') && x.text.includes('127.0.0.1:8787'), x.id)
  assert.match(s[0]!.text, /\/v1\/chat\/completions/)
})
