/**
 * The Amazon Bedrock Converse dialect, assembled. Upstream-only: the Bedrock provider speaks it for
 * models other than Claude (Nova, Llama, Mistral…); no gateway endpoint does, so callers reach it
 * through translation.
 */
import type { Dialect } from '../dialect.ts'
import { converseError } from './error.ts'
import { converseRequest } from './request.ts'
import { converseResponse } from './response.ts'
import { converseStream } from './stream.ts'

export const converse: Dialect = {
  id: 'converse',
  request: converseRequest,
  response: converseResponse,
  stream: converseStream,
  error: converseError,
}
