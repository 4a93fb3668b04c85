/**
 * `POST /v1/messages/count_tokens` for a provider that has no such endpoint: a real tokenizer's count
 * (o200k) of the canonical request, answered in Anthropic's shape and labelled as an estimate
 * (`estimated: true` in the body, `x-switchyard-token-count: estimate` header).
 */
import { noUsage } from '../dialects/openai/usage.ts'
import type { Outgoing } from './translate.ts'
import type { Call, GatewayResponse, Outcome, Route } from './types.ts'
import { responseHeaders } from './responseHeaders.ts'

export async function countTokensLocally(outgoing: Outgoing, call: Call, route: Route, res: GatewayResponse, startedAt: number): Promise<Outcome> {
  // Loaded on first use: the tokenizer's tables cost ~150 ms and memory at startup otherwise.
  const { countTokens } = await import('../dialects/countTokens.ts')
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
