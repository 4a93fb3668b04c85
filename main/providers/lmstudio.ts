/** LM Studio's OpenAI-compatible server. https://lmstudio.ai/docs/app/api/endpoints/openai */
import { defineSelfHosted } from './provider.ts'

export const lmstudio = defineSelfHosted({
  id: 'lmstudio',
  name: 'LM Studio',
  baseUrl: 'http://127.0.0.1:1234/v1',
  docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai',
})
