/** Ollama's OpenAI-compatible API. https://github.com/ollama/ollama/blob/main/docs/openai.md */
import { defineSelfHosted } from './provider.ts'

export const ollama = defineSelfHosted({
  id: 'ollama',
  name: 'Ollama',
  baseUrl: 'http://127.0.0.1:11434/v1',
  docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md',
})
