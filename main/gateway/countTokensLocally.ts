/**
 * `POST /v1/messages/count_tokens` for a provider that has no such endpoint: a real tokenizer's count
 * (o200k) of the canonical request, answered in Anthropic's shape and labelled as an estimate
 * (`estimated: true` in the body, `x-switchyard-token-count: estimate` header).
 */
import type { ServerResponse } from 'node:http'
import { countTokens } from '../dialects/countTokens.ts'
import { noUsage } from '../dialects/openai/usage.ts'
import type { Outgoing } from './translate.ts'
import type { Call, Outcome, Route } from './types.ts'
import { responseHeaders } from './pipeline.ts'

export function countTokensLocally(outgoing: Outgoing, call: Call, route: Route, res: ServerResponse, startedAt: number): Outcome {
  const inputTokens = outgoing.canonical ? countTokens(outgoing.canonical) : 0
  const body = JSON.stringify({ input_tokens: inputTokens, estimated: true })
  res.writeHead(200, {
    ...responseHeaders(call, route),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-switchyard-token-count': 'estimate',
  })
  res.end(body)
  return { status: 200, usage: noUsage, ttfbMs: null, latencyMs: Math.round(performance.now() - startedAt), error: null }
}
