/** The OpenAI Chat Completions dialect, assembled: `openai.request.toCanonical(body)` and friends. */
import type { Dialect } from '../dialect.ts'
import { openAIError } from './error.ts'
import { openAIRequest } from './request.ts'
import { openAIResponse } from './response.ts'
import { openAIStream } from './stream.ts'

export const openai: Dialect = {
  id: 'openai',
  request: openAIRequest,
  response: openAIResponse,
  stream: openAIStream,
  error: openAIError,
}
