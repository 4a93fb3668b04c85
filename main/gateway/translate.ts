/**
 * Stage 4b: the body the upstream receives. Same dialect: the client's body with the model resolved,
 * the provider's quirks applied and, for OpenAI streams, usage requested; unknown fields untouched.
 * Different dialects: through canonical types (`dialects/translate.ts`), with what this upstream takes
 * (`upstreamOptions.ts`: reasoning, the max-tokens field). Also returns the caller's
 * request in canonical form when it was needed, for translating the answer back.
 */
import type { ChatRequest } from '../dialects/canonical.ts'
import { translateRequest } from '../dialects/translate.ts'
import { GatewayError } from './GatewayError.ts'
import { upstreamOptions } from './upstreamOptions.ts'
import { copyBody } from './lazyBody.ts'
import { forwardWithModel } from './wireBody.ts'
import type { Call, Route } from './types.ts'

export type Outgoing = { body: Record<string, unknown>; canonical: ChatRequest | null }

export function translate(route: Route, call: Call): Outgoing {
  if (!route.translate) {
    const body = copyBody(call.body) // members a large body has not parsed stay unparsed
    body.model = route.model
    const dropped = route.spec.dropParams?.some((p) => p in call.body) ?? false
    for (const p of route.spec.dropParams ?? []) delete body[p]
    // Only the model differs: the caller's bytes go out with it spliced in, not a re-serialisation.
    if (!dropped && !route.injectStreamUsage) forwardWithModel(call.body, body, route.model)
    if (route.injectStreamUsage) {
      const opts = (call.body.stream_options as Record<string, unknown> | undefined) ?? {}
      body.stream_options = { ...opts, include_usage: true }
    }
    return { body, canonical: null }
  }
  let translated
  try {
    translated = translateRequest(call.body, call.dialect, route.dialect, upstreamOptions(route))
  } catch (err) {
    if (err instanceof GatewayError) throw err
    throw new GatewayError('invalid_request', `this ${call.dialect} request cannot be translated for ${route.spec.name}: ${(err as Error).message}`)
  }
  const body: Record<string, unknown> = { ...translated.body, model: route.model }
  for (const p of route.spec.dropParams ?? []) delete body[p]
  if (route.injectStreamUsage) body.stream_options = { include_usage: true }
  return { body, canonical: translated.request }
}
