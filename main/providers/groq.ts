/** Groq: OpenAI-compatible. https://console.groq.com/docs/openai */
import { defineProvider } from './provider.ts'

export const groq = defineProvider({
  id: 'groq',
  name: 'Groq',
  baseUrl: 'https://api.groq.com/openai/v1',
  streamUsage: 'stream_options',
  endpoints: ['chat', 'embeddings', 'models'],
  // Groq rejects these with 400: https://console.groq.com/docs/openai#unsupported-features
  dropParams: ['logprobs', 'logit_bias', 'top_logprobs'],
  docs: 'https://console.groq.com/docs/openai',
})
