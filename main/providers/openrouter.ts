/** OpenRouter: OpenAI-compatible; streams always end with usage. https://openrouter.ai/docs/api-reference/overview */
import { defineProvider } from './provider.ts'

export const openrouter = defineProvider({
  id: 'openrouter',
  name: 'OpenRouter',
  baseUrl: 'https://openrouter.ai/api/v1',
  streamUsage: 'always',
  endpoints: ['chat', 'completions', 'models'],
  docs: 'https://openrouter.ai/docs/api-reference/overview',
})
