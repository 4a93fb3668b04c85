/** Together AI: OpenAI-compatible chat, completions and embeddings. https://docs.together.ai/docs/openai-api-compatibility */
import { defineProvider } from './provider.ts'

export const together = defineProvider({
  id: 'together',
  name: 'Together AI',
  baseUrl: 'https://api.together.xyz/v1',
  streamUsage: 'always',
  docs: 'https://docs.together.ai/docs/openai-api-compatibility',
})
