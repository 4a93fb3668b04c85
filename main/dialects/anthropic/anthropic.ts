/** The Anthropic Messages dialect, assembled: `anthropic.request.toCanonical(body)` and friends. */
import type { Dialect } from '../dialect.ts'
import { anthropicError } from './error.ts'
import { anthropicRequest } from './request.ts'
import { anthropicResponse } from './response.ts'
import { anthropicStream } from './stream.ts'

export const anthropic: Dialect = {
  id: 'anthropic',
  request: anthropicRequest,
  response: anthropicResponse,
  stream: anthropicStream,
  error: anthropicError,
}
