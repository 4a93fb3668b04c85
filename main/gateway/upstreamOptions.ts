/**
 * What the translator may write for this upstream (`UpstreamOptions`), decided from the route: which
 * models take reasoning settings (others reject the fields), which want `max_completion_tokens`
 * (OpenAI's reasoning models refuse `max_tokens`). Earlier reasoning is never echoed (`echoReasoning`):
 * which servers want it back is not settled enough to switch on by name.
 * Model families are matched by name, on the part after any `vendor/` prefix (OpenRouter's `openai/o3`).
 */
import type { UpstreamOptions } from '../dialects/dialect.ts'
import type { Route } from './types.ts'

/** Claude 3.7 and every Claude 4 and later take `thinking`; 3.5 and older do not. Bedrock prefixes `us.anthropic.`. */
const claudeThinking = /(^|[./])claude-(3-7-|(opus|sonnet|haiku)-[4-9]|[4-9])/
/** OpenAI's o-series and GPT-5 family take `reasoning_effort` / `reasoning.effort`; so do Grok's mini reasoners. */
const openaiReasoning = /^(o[1-9]|gpt-5|grok-3-mini)/
/** Gemini 2.5 and later think (`thinkingConfig`). */
const geminiThinking = /^gemini-([3-9]|2\.5)/

function family(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1).toLowerCase()
}

export function takesReasoning(route: Pick<Route, 'dialect' | 'model'>): boolean {
  const m = family(route.model)
  switch (route.dialect) {
    case 'anthropic':
      return claudeThinking.test(route.model.toLowerCase())
    case 'openai':
    case 'responses':
      return openaiReasoning.test(m)
    case 'gemini':
      return geminiThinking.test(m)
    case 'converse':
      return true // Converse writes reasoning only for the model families it knows (converse/request.ts)
  }
}

export function upstreamOptions(route: Pick<Route, 'dialect' | 'model' | 'spec'>): UpstreamOptions {
  const o: UpstreamOptions = { model: route.model }
  if (takesReasoning(route)) o.reasoning = true
  // OpenAI's own API (and Azure's) takes max_completion_tokens for every model; its reasoning models take nothing else.
  if (route.dialect === 'openai' && (route.spec.id === 'openai' || route.spec.id === 'azure-openai' || openaiReasoning.test(family(route.model)))) {
    o.maxTokensField = 'max_completion_tokens'
  }
  return o
}
