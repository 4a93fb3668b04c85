/** DeepSeek: OpenAI-compatible chat. https://api-docs.deepseek.com/ */
import { defineProvider } from './provider.ts'

export const deepseek = defineProvider({
  id: 'deepseek',
  name: 'DeepSeek',
  baseUrl: 'https://api.deepseek.com/v1',
  streamUsage: 'stream_options',
  endpoints: ['chat', 'models'],
  docs: 'https://api-docs.deepseek.com/',
})
