/** Integer cost arithmetic (micro-USD), table-driven. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { costMicros } from '../../main/limits/cost.ts'
import { usd } from '../../main/providers/provider.ts'

const gpt4o = { id: 'gpt-4o', inputPrice: usd(2.5), cachedInputPrice: usd(1.25), outputPrice: usd(10) }
const embed = { id: 'e', inputPrice: usd(0.02) }

const cases: Array<[string, Parameters<typeof costMicros>, number | null]> = [
  ['1M input tokens of gpt-4o cost $2.50', [{ inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0 }, gpt4o, false], 2_500_000],
  ['1M output tokens cost $10', [{ inputTokens: 0, outputTokens: 1_000_000, cachedTokens: 0 }, gpt4o, false], 10_000_000],
  ['cached tokens are part of input, billed at the cached rate', [{ inputTokens: 1000, outputTokens: 0, cachedTokens: 600 }, gpt4o, false], 1750],
  ['cached never exceeds input', [{ inputTokens: 100, outputTokens: 0, cachedTokens: 500 }, gpt4o, false], 125],
  ['rounds half up once per call', [{ inputTokens: 1, outputTokens: 0, cachedTokens: 0 }, gpt4o, false], 3],
  ['no cached price: cached billed as input', [{ inputTokens: 1000, outputTokens: 0, cachedTokens: 1000 }, embed, false], 20],
  ['unknown price: null, not zero', [{ inputTokens: 10, outputTokens: 10, cachedTokens: 0 }, undefined, false], null],
  ['unknown tokens: null', [{ inputTokens: null, outputTokens: null, cachedTokens: null }, gpt4o, false], null],
  ['self-hosted: free even without tokens', [{ inputTokens: null, outputTokens: null, cachedTokens: null }, undefined, true], 0],
  ['a billion tokens stay exact integers', [{ inputTokens: 1e9, outputTokens: 1e9, cachedTokens: 0 }, gpt4o, false], 12_500_000_000],
]

for (const [name, args, expected] of cases) {
  test(name, () => assert.equal(costMicros(...args), expected))
}
