/** vLLM's OpenAI-compatible server (`vllm serve`). https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html */
import { defineSelfHosted } from './provider.ts'

export const vllm = defineSelfHosted({
  id: 'vllm',
  name: 'vLLM',
  baseUrl: 'http://127.0.0.1:8000/v1',
  docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html',
})
