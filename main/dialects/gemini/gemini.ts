/**
 * The Gemini generateContent dialect, assembled. Upstream-only: Gemini API and Vertex AI providers speak
 * it; no gateway endpoint does, so callers reach it through translation.
 */
import type { Dialect } from '../dialect.ts'
import { geminiError } from './error.ts'
import { geminiRequest } from './request.ts'
import { geminiResponse } from './response.ts'
import { geminiStream } from './stream.ts'

export const gemini: Dialect = {
  id: 'gemini',
  request: geminiRequest,
  response: geminiResponse,
  stream: geminiStream,
  error: geminiError,
}
