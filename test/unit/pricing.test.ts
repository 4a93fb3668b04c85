/**
 * Prices: integer cost with cache writes, reasoning, long-context tiers and time-of-day schedules;
 * the reservation upper bound; the catalog (@pydantic/genai-prices, offline) and the precedence of
 * user prices over it; self-hosted free unless priced.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { catalogPrice } from '../../main/limits/catalogPrice.ts'
import { costMicros, maxCostMicros } from '../../main/limits/cost.ts'
import { createPriceBook } from '../../main/limits/createPriceBook.ts'
import { estimateCall } from '../../main/limits/estimateCall.ts'
import type { Price } from '../../main/limits/Price.ts'
import { openai } from '../../main/providers/openai.ts'
import { providerKinds } from '../../main/providers/registry.ts'
import { usd } from '../../main/providers/provider.ts'

const src = { kind: 'catalog' as const, ref: 'test' }
const sonnet: Price = { id: 'claude-sonnet', inputPrice: usd(3), outputPrice: usd(15), cachedInputPrice: usd(0.3), cacheWritePrice: usd(3.75), source: src }
const tiered: Price = {
  id: 'long', inputPrice: usd(2.5), outputPrice: usd(15), cachedInputPrice: usd(0.25), source: src,
  tiers: [{ aboveInputTokens: 272_000, prices: { inputPrice: usd(5), outputPrice: usd(22.5), cachedInputPrice: usd(0.5) } }],
}
const reasoner: Price = { id: 'r', inputPrice: usd(1), outputPrice: usd(4), reasoningPrice: usd(8), source: src }
const offPeak: Price = {
  id: 'deepseek-chat', inputPrice: usd(0.27), outputPrice: usd(1.1), source: src,
  schedule: [{ prices: { inputPrice: usd(0.27), outputPrice: usd(1.1) } }, { dailyUtcSeconds: [16 * 3600 + 1800, 30 * 60], prices: { inputPrice: usd(0.135), outputPrice: usd(0.55) } }],
}
const u = (inputTokens: number, outputTokens: number, more: { cachedTokens?: number; cacheWriteTokens?: number; reasoningTokens?: number } = {}) => ({
  inputTokens, outputTokens, cachedTokens: more.cachedTokens ?? 0, cacheWriteTokens: more.cacheWriteTokens ?? 0, reasoningTokens: more.reasoningTokens ?? 0,
})

const cases: Array<[string, number | null, number]> = [
  // Anthropic's usage mapped to canonical: input = uncached 100 + read 1000 + written 2000.
  ['cache reads and writes at their own rates', costMicros(u(3100, 200, { cachedTokens: 1000, cacheWriteTokens: 2000 }), sonnet, false), 100 * 3 + 1000 * 0.3 + 2000 * 3.75 + 200 * 15],
  ['reads and writes never exceed the input', costMicros(u(100, 0, { cachedTokens: 80, cacheWriteTokens: 80 }), sonnet, false), 80 * 0.3 + 20 * 3.75],
  ['reasoning billed apart only where the model has a rate', costMicros(u(1000, 500, { reasoningTokens: 300 }), reasoner, false), 1000 * 1 + 200 * 4 + 300 * 8],
  ['reasoning is plain output elsewhere', costMicros(u(1000, 500, { reasoningTokens: 300 }), sonnet, false), 1000 * 3 + 500 * 15],
  ['below the long-context threshold: base prices', costMicros(u(272_000, 1000), tiered, false), 272_000 * 2.5 + 1000 * 15],
  ['past it: the whole call at the tier prices', costMicros(u(272_001, 1000), tiered, false), 272_001 * 5 + 1000 * 22.5],
  ['time-of-day schedule: peak', costMicros(u(1_000_000, 0), offPeak, false, Date.parse('2026-11-23T10:00:00Z')), 270_000],
  ['time-of-day schedule: off-peak window wrapping midnight UTC', costMicros(u(1_000_000, 0), offPeak, false, Date.parse('2026-11-23T23:00:00Z')), 135_000],
  ['a self-hosted model with a user price is not free', costMicros(u(1_000_000, 0), { ...sonnet, source: { kind: 'custom-model', ref: 'mine' } }, true), 3_000_000],
  ['exact past 2^53 (BigInt path)', costMicros(u(5e9, 5e9), { ...sonnet, inputPrice: 3_000_001, outputPrice: 15_000_001 }, false), 90_000_010_000],
]
for (const [name, actual, expected] of cases) test(`cost: ${name}`, () => assert.equal(actual, Math.round(expected)))

test('the reservation bound uses the dearest input and output rates and the tier the input reaches', () => {
  assert.equal(maxCostMicros(sonnet, 1000, 100), 1000 * 3.75 + 100 * 15)
  assert.equal(maxCostMicros(tiered, 300_000, 0), 300_000 * 5)
  assert.equal(maxCostMicros(reasoner, 0, 1000), 8000)
})

test('estimate: body bytes bound the input, capped by the context window; output from the request, the model, or the default', () => {
  const body = { model: 'm', messages: [{ role: 'user', content: 'x'.repeat(1000) }], max_tokens: 50, n: 2 }
  const bytes = JSON.stringify(body).length
  const e = estimateCall({ endpoint: 'chat', body }, bytes, sonnet, false, 4096, 0)
  assert.equal(e.inputTokens, bytes)
  assert.equal(e.outputTokens, 100)
  assert.equal(e.costMicros, maxCostMicros(sonnet, bytes, 100))
  assert.equal(e.rateTokens, Math.ceil(bytes / 4) + 100)
  const noMax = estimateCall({ endpoint: 'chat', body: { messages: [] } }, 10, { ...sonnet, maxOutputTokens: 64, maxInputTokens: 5 }, false, 4096, 0)
  assert.deepEqual([noMax.inputTokens, noMax.outputTokens], [5, 64])
  assert.equal(estimateCall({ endpoint: 'chat', body: {} }, 10, undefined, false, 4096, 0).outputTokens, 4096)
  assert.equal(estimateCall({ endpoint: 'chat', body: {} }, 10, undefined, false, 4096, 0).costMicros, null, 'no price: unknown cost')
  assert.equal(estimateCall({ endpoint: 'chat', body: {} }, 10, undefined, true, 4096, 0).costMicros, 0, 'self-hosted')
  assert.equal(estimateCall({ endpoint: 'embeddings', body: { max_tokens: 9 } }, 10, sonnet, false, 4096, 0).outputTokens, 0)
})

test('the catalog ships offline and maps dated model names and provider ids', () => {
  const p = catalogPrice('openai', 'gpt-4o-2024-08-06')
  assert.ok(p)
  assert.deepEqual([p.inputPrice, p.outputPrice, p.cachedInputPrice], [usd(2.5), usd(10), usd(1.25)])
  assert.equal(p.source.kind, 'catalog')
  assert.match(p.source.ref, /@pydantic\/genai-prices 0\.1\.8 \(openai\/gpt-4o\)/)
  assert.ok(p.source.url?.startsWith('https://'))
  const claude = catalogPrice('anthropic', 'claude-sonnet-4-20250514')
  assert.ok(claude?.cacheWritePrice && claude.cacheWritePrice > claude.inputPrice, 'cache writes cost more than input at Anthropic')
  assert.equal(catalogPrice('openai', 'no-such-model-anywhere'), undefined)
  assert.equal(catalogPrice('ollama', 'llama3.2'), undefined)
})

// A provider file names the catalog's id when it differs from its own (the map no longer lives in limits/).
const catalogSamples: Record<string, string> = { 'azure-openai': 'gpt-4o', bedrock: 'anthropic.claude-3-haiku-20240307-v1:0', vertex: 'gemini-2.5-pro', gemini: 'gemini-2.5-pro', xai: 'grok-3' }
for (const [id, model] of Object.entries(catalogSamples)) {
  test(`${id}'s provider file leads to its catalog prices`, () => {
    const spec = providerKinds.get(id)
    assert.ok(spec?.catalogId, `${id} declares catalogId`)
    assert.ok(catalogPrice(spec.catalogId, model), `${spec.catalogId}/${model}`)
    const book = createPriceBook({ kind: id, catalogId: spec.catalogId, category: spec.category, integrationSlug: id, builtin: [], models: new Map(), integration: null })
    assert.equal(book.get(model)?.source.kind, 'catalog')
  })
}

test('precedence: model price → integration price → catalog → built-in; self-hosted 0 unless priced; each with its source', () => {
  const base = { kind: 'openai', category: 'hosted' as const, integrationSlug: 'openai', builtin: openai.knownModels, models: new Map(), integration: null }
  const book = createPriceBook(base)
  assert.equal(book.get('gpt-4o')?.source.kind, 'catalog')
  const builtinOnly = createPriceBook({ ...base, useCatalog: false })
  assert.equal(builtinOnly.get('gpt-4o')?.source.kind, 'builtin')
  const negotiated = createPriceBook({ ...base, integration: { inputPrice: usd(1), outputPrice: usd(2) } })
  assert.deepEqual([negotiated.get('gpt-4o')?.inputPrice, negotiated.get('gpt-4o')?.source.kind], [usd(1), 'custom-integration'])
  const perModel = createPriceBook({ ...base, integration: { inputPrice: usd(1), outputPrice: usd(2) }, models: new Map([['gpt-4o', { price: { inputPrice: 0, outputPrice: 0 }, maxOutputTokens: 99 }]]) })
  assert.deepEqual([perModel.get('gpt-4o')?.inputPrice, perModel.get('gpt-4o')?.source.kind, perModel.get('gpt-4o')?.maxOutputTokens], [0, 'custom-model', 99])
  assert.equal(perModel.get('gpt-4o-mini')?.source.kind, 'custom-integration')
  const local = createPriceBook({ ...base, kind: 'ollama', category: 'self-hosted', builtin: [] })
  assert.deepEqual([local.get('llama3.2')?.inputPrice, local.get('llama3.2')?.source.kind], [0, 'self-hosted'])
  const chargedLocal = createPriceBook({ ...base, kind: 'ollama', category: 'self-hosted', builtin: [], models: new Map([['llama3.2', { price: { inputPrice: usd(0.1), outputPrice: usd(0.1) } }]]) })
  assert.equal(costMicros(u(1_000_000, 0), chargedLocal.get('llama3.2'), true), 100_000)
  assert.equal(costMicros(u(1_000_000, 0), local.get('llama3.2'), true), 0)
})
