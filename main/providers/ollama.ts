/**
 * Ollama's OpenAI-compatible API. https://github.com/ollama/ollama/blob/main/docs/openai.md
 * Ollama serves a 4,096-token context unless OLLAMA_CONTEXT_LENGTH or the model's num_ctx says
 * otherwise, and silently drops the start of longer prompts (docs/faq.md, "How can I specify the
 * context window size?"): the gateway refuses such requests unless the integration says the context is larger.
 */
import { defineSelfHosted } from './provider.ts'

export const ollama = defineSelfHosted({
  id: 'ollama',
  name: 'Ollama',
  baseUrl: 'http://127.0.0.1:11434/v1',
  defaultContextWindow: 4096,
  docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md',
})
