/** xAI (Grok): OpenAI-compatible. https://docs.x.ai/docs/api-reference */
import { defineProvider } from './provider.ts'

export const xai = defineProvider({
  id: 'xai',
  name: 'xAI',
  baseUrl: 'https://api.x.ai/v1',
  streamUsage: 'stream_options',
  endpoints: ['chat', 'completions', 'embeddings', 'models'],
  catalogId: 'x-ai',
  docs: 'https://docs.x.ai/docs/api-reference',
})
