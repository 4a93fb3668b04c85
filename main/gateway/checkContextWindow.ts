/**
 * Stage 4c: for upstreams whose served context is known (Ollama's 4,096 by default), estimates the
 * request's tokens (prompt + max output) with a real tokenizer and refuses one that does not fit,
 * before it is sent and silently truncated; with `contextPolicy: 'warn'` it goes through and the
 * warning is logged and kept on the usage row. Costs nothing where no window is known.
 */
import { dialects } from '../dialects/translate.ts'
import { log } from '../log.ts'
import { GatewayError } from './GatewayError.ts'
import type { Outgoing } from './translate.ts'
import type { Call, Route } from './types.ts'

/** Returns a warning to record, or null; throws when the request is refused. */
export async function checkContextWindow(route: Route, call: Call, outgoing: Outgoing): Promise<string | null> {
  const window = route.contextWindow
  if (!window || call.endpoint === 'embeddings' || call.endpoint === 'completions') return null
  const canonical = outgoing.canonical ?? dialects[call.dialect].request.toCanonical(call.body)
  // Loaded on first use: the tokenizer's tables are large.
  const { countTokens } = await import('../dialects/countTokens.ts')
  const prompt = countTokens(canonical)
  const output = canonical.maxTokens ?? 0
  if (prompt + output <= window) return null
  const who = route.providerSlug ? `@${route.providerSlug}` : route.spec.name
  const message =
    `this request needs about ${prompt + output} tokens (prompt ≈${prompt}${output ? ` + max output ${output}` : ''}) ` +
    `but ${who} serves a context of ${window} tokens for ${route.model}, and would silently drop the start of the prompt. ` +
    `Raise the server's context (Ollama: OLLAMA_CONTEXT_LENGTH or num_ctx) and set the integration's contextWindow, or shorten the request.`
  if (route.contextPolicy === 'warn') {
    log.warn('context window exceeded; sent anyway', { provider: who, model: route.model, tokens: prompt + output, window })
    return `warning: ${message}`
  }
  throw new GatewayError('context_window_exceeded', message, { param: 'messages' })
}
