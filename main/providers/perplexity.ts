/** Perplexity: OpenAI-shaped chat only, no version prefix, no model list. https://docs.perplexity.ai/api-reference/chat-completions */
import { defineProvider } from './provider.ts'

export const perplexity = defineProvider({
  id: 'perplexity',
  name: 'Perplexity',
  baseUrl: 'https://api.perplexity.ai',
  streamUsage: 'always',
  endpoints: ['chat'],
  knownModels: [{ id: 'sonar' }, { id: 'sonar-pro' }, { id: 'sonar-reasoning' }, { id: 'sonar-reasoning-pro' }, { id: 'sonar-deep-research' }],
  docs: 'https://docs.perplexity.ai/api-reference/chat-completions',
})
