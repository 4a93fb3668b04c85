/** llama.cpp's `llama-server`. https://github.com/ggml-org/llama.cpp/tree/master/tools/server */
import { defineSelfHosted } from './provider.ts'

export const llamacpp = defineSelfHosted({
  id: 'llamacpp',
  name: 'llama.cpp server',
  baseUrl: 'http://127.0.0.1:8080/v1',
  docs: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server',
})
