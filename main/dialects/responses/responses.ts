/** The OpenAI Responses dialect, assembled: `responses.request.toCanonical(body)` and friends. */
import type { Dialect } from '../dialect.ts'
import { openAIError } from '../openai/error.ts'
import { responsesRequest } from './request.ts'
import { responsesResponse } from './response.ts'
import { responsesStream } from './stream.ts'

export const responses: Dialect = {
  id: 'responses',
  request: responsesRequest,
  response: responsesResponse,
  stream: responsesStream,
  error: openAIError,
}
