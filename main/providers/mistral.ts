/** Mistral: OpenAI-shaped chat and embeddings; streams end with a usage chunk unasked. https://docs.mistral.ai/api/ */
import { defineProvider } from './provider.ts'

export const mistral = defineProvider({
  id: 'mistral',
  name: 'Mistral AI',
  baseUrl: 'https://api.mistral.ai/v1',
  streamUsage: 'always',
  endpoints: ['chat', 'embeddings', 'models'],
  docs: 'https://docs.mistral.ai/api/',
})
