/**
 * The bundle reads gpt-tokenizer's o200k ranks from JSON written by scripts/build.ts instead of the
 * package's JavaScript array literal: the same array, and the bundled tokenizer counts and encodes
 * like the package. Needs a build (`node scripts/build.ts main`); without one there is nothing to compare.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import ranks from 'gpt-tokenizer/bpeRanks/o200k_base'
import * as reference from 'gpt-tokenizer/encoding/o200k_base'

const chunks = join(import.meta.dirname, '..', '..', 'dist', 'chunks')
const built = existsSync(join(chunks, 'o200k_base.ranks.json'))
const sample = ['Hello, world!', 'Здравствуй, мир — 你好世界 🚀 こんにちは', 'function f(x) { return x * 2 }\n\t\t// ok', ' \u00a0\u200b', 'ééé'.repeat(40), 'Lorem ipsum '.repeat(300)]

test('the built ranks are the package array', { skip: !built && 'no build' }, () => {
  const json = JSON.parse(readFileSync(join(chunks, 'o200k_base.ranks.json'), 'utf8')) as unknown[]
  assert.equal(json.length, (ranks as unknown[]).length)
  assert.deepEqual(json, ranks)
})

test('the bundled tokenizer counts and encodes like the package', { skip: !built && 'no build' }, async () => {
  // The chunk that `import('gpt-tokenizer/encoding/o200k_base')` became (the newest, if older builds left others).
  const name = readdirSync(chunks)
    .filter((f) => /^o200k_base-.*\.js$/.test(f))
    .sort((a, b) => statSync(join(chunks, b)).mtimeMs - statSync(join(chunks, a)).mtimeMs)[0]
  assert.ok(name, 'a tokenizer chunk')
  const bundled = (await import(pathToFileURL(join(chunks, name)).href)) as typeof reference
  for (const text of sample) {
    assert.equal(bundled.countTokens(text), reference.countTokens(text), text.slice(0, 20))
    assert.deepEqual(bundled.encode(text), reference.encode(text), text.slice(0, 20))
  }
})
