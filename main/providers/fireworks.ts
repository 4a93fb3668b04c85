/** Fireworks AI: OpenAI-compatible. https://docs.fireworks.ai/tools-sdks/openai-compatibility */
import { defineProvider } from './provider.ts'

export const fireworks = defineProvider({
  id: 'fireworks',
  name: 'Fireworks AI',
  baseUrl: 'https://api.fireworks.ai/inference/v1',
  streamUsage: 'always',
  docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
})
