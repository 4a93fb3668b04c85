/** OpenAI. Prices: https://platform.openai.com/docs/pricing (standard tier, checked 2025). */
import { defineProvider, usd } from './provider.ts'

export const openai = defineProvider({
  id: 'openai',
  name: 'OpenAI',
  baseUrl: 'https://api.openai.com/v1',
  streamUsage: 'stream_options',
  // Codex and the SDK's `responses.create` reach OpenAI's Responses API untranslated.
  nativeDialects: ['openai', 'responses'],
  endpoints: ['chat', 'completions', 'embeddings', 'models', 'responses'],
  knownModels: [
    { id: 'gpt-5', inputPrice: usd(1.25), cachedInputPrice: usd(0.125), outputPrice: usd(10) },
    { id: 'gpt-5-mini', inputPrice: usd(0.25), cachedInputPrice: usd(0.025), outputPrice: usd(2) },
    { id: 'gpt-5-nano', inputPrice: usd(0.05), cachedInputPrice: usd(0.005), outputPrice: usd(0.4) },
    { id: 'gpt-4.1', inputPrice: usd(2), cachedInputPrice: usd(0.5), outputPrice: usd(8) },
    { id: 'gpt-4.1-mini', inputPrice: usd(0.4), cachedInputPrice: usd(0.1), outputPrice: usd(1.6) },
    { id: 'gpt-4.1-nano', inputPrice: usd(0.1), cachedInputPrice: usd(0.025), outputPrice: usd(0.4) },
    { id: 'gpt-4o', inputPrice: usd(2.5), cachedInputPrice: usd(1.25), outputPrice: usd(10) },
    { id: 'gpt-4o-mini', inputPrice: usd(0.15), cachedInputPrice: usd(0.075), outputPrice: usd(0.6) },
    { id: 'o3', inputPrice: usd(2), cachedInputPrice: usd(0.5), outputPrice: usd(8) },
    { id: 'o4-mini', inputPrice: usd(1.1), cachedInputPrice: usd(0.275), outputPrice: usd(4.4) },
    { id: 'text-embedding-3-small', inputPrice: usd(0.02) },
    { id: 'text-embedding-3-large', inputPrice: usd(0.13) },
  ],
  docs: 'https://platform.openai.com/docs/api-reference',
})
