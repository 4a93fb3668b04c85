/** Any other OpenAI-compatible server: the user gives the base URL; an API key is optional. */
import { defineProvider } from './provider.ts'

export const openaiCompatible = defineProvider({
  id: 'openai-compatible',
  name: 'OpenAI-compatible (custom)',
  category: 'self-hosted',
  baseUrl: null,
  needsApiKey: false,
  streamUsage: 'stream_options',
  docs: 'https://platform.openai.com/docs/api-reference/chat',
})
