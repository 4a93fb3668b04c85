// Bedrock Converse / ConverseStream wire format for the fake Bedrock: reads a Converse request into
// the Anthropic-shaped body the shared reply planner understands, and renders the plan back as a
// Converse response or ConverseStream events (payload keys in AWS's alphabetical order, `p` padding).
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
import { isRecord } from './openaiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'
import type { Plan } from './anthropicMessages.ts'

/** Converse validation in AWS's constraint-message style, or undefined. */
export function validateConverse(body: unknown): string | undefined {
  if (!isRecord(body)) return '1 validation error detected: Value null at \'messages\' failed to satisfy constraint: Member must not be null'
  if (!Array.isArray(body['messages'])) return "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null"
  return undefined
}

function blockToAnthropic(b: JsonObject): JsonObject | undefined {
  if (typeof b['text'] === 'string') return { type: 'text', text: b['text'] }
  const toolUse = b['toolUse']
  if (isRecord(toolUse)) return { type: 'tool_use', id: toolUse['toolUseId'], name: toolUse['name'], input: toolUse['input'] }
  const toolResult = b['toolResult']
  if (isRecord(toolResult)) {
    const parts = Array.isArray(toolResult['content']) ? toolResult['content'].filter(isRecord) : []
    const text = parts.map((p) => (typeof p['text'] === 'string' ? p['text'] : p['json'] !== undefined ? JSON.stringify(p['json']) : '')).join(' ')
    return { type: 'tool_result', tool_use_id: toolResult['toolUseId'], content: text }
  }
  const reasoning = b['reasoningContent']
  const reasoningText = isRecord(reasoning) ? reasoning['reasoningText'] : undefined
  if (isRecord(reasoningText)) return { type: 'thinking', thinking: reasoningText['text'], signature: reasoningText['signature'] }
  return undefined
}

/** The Converse request as an Anthropic Messages body (for the shared planner). */
export function converseToAnthropic(body: JsonObject): JsonObject {
  const messages = (Array.isArray(body['messages']) ? body['messages'] : []).filter(isRecord).map((m) => ({
    role: m['role'],
    content: (Array.isArray(m['content']) ? m['content'] : []).filter(isRecord).flatMap((b) => blockToAnthropic(b) ?? []),
  }))
  const system = (Array.isArray(body['system']) ? body['system'] : []).filter(isRecord).map((s) => (typeof s['text'] === 'string' ? s['text'] : '')).join(' ')
  const config = isRecord(body['inferenceConfig']) ? body['inferenceConfig'] : {}
  const toolConfig = isRecord(body['toolConfig']) ? body['toolConfig'] : {}
  const tools = (Array.isArray(toolConfig['tools']) ? toolConfig['tools'] : []).filter(isRecord).flatMap((t) => (isRecord(t['toolSpec']) ? [{ name: t['toolSpec']['name'] }] : []))
  const choice = isRecord(toolConfig['toolChoice']) ? toolConfig['toolChoice'] : {}
  const tool = isRecord(choice['tool']) ? choice['tool'] : undefined
  const toolChoice = tool ? { type: 'tool', name: tool['name'] } : isRecord(choice['any']) ? { type: 'any' } : undefined
  const extra = isRecord(body['additionalModelRequestFields']) ? body['additionalModelRequestFields'] : {}
  const out: JsonObject = { messages, system, tools }
  if (typeof config['maxTokens'] === 'number') out['max_tokens'] = config['maxTokens']
  if (toolChoice) out['tool_choice'] = toolChoice
  if (extra['thinking'] !== undefined) out['thinking'] = extra['thinking']
  return out
}

const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
/** Bedrock pads stream payloads with a prefix of this alphabet of varying length. */
export const padding = (n: number): string => PADDING.slice(0, 1 + ((n * 7) % PADDING.length))

/** AWS serializes these payloads with keys in alphabetical order. */
export function sortedKeys(obj: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const converseStop = (plan: Plan): string => plan.stopReason

function usageJson(plan: Plan): JsonObject {
  const { input, output, cacheRead, cacheCreation } = plan.usage
  return { cacheReadInputTokens: cacheRead, cacheWriteInputTokens: cacheCreation, inputTokens: input, outputTokens: output, totalTokens: input + output + cacheRead + cacheCreation }
}

/** The tool-use id Converse shows (`tooluse_…`) for the planner's `toolu_01…`. */
const converseToolId = (id: string): string => `tooluse_${id.slice('toolu_01'.length)}`

/** The non-streaming Converse response. */
export function converseBody(plan: Plan, latencyMs: number): JsonObject {
  const content = plan.blocks.map((b) =>
    b.type === 'thinking'
      ? { reasoningContent: { reasoningText: { signature: b.signature, text: b.thinking } } }
      : b.type === 'text'
        ? { text: b.text }
        : { toolUse: { input: b.input, name: b.name, toolUseId: converseToolId(b.id) } },
  )
  return { metrics: { latencyMs }, output: { message: { content, role: 'assistant' } }, stopReason: converseStop(plan), usage: usageJson(plan) }
}

/** ConverseStream events as [event type, payload] pairs. Text blocks have no contentBlockStart. */
export function converseStreamEvents(plan: Plan, latencyMs: number): Array<[string, JsonObject]> {
  const events: Array<[string, JsonObject]> = [['messageStart', { role: 'assistant' }]]
  for (const [contentBlockIndex, b] of plan.blocks.entries()) {
    if (b.type === 'tool_use') {
      events.push(['contentBlockStart', { contentBlockIndex, start: { toolUse: { name: b.name, toolUseId: converseToolId(b.id) } } }])
    }
    for (const piece of b.pieces) {
      const delta = b.type === 'thinking' ? { reasoningContent: { text: piece } } : b.type === 'text' ? { text: piece } : { toolUse: { input: piece } }
      events.push(['contentBlockDelta', { contentBlockIndex, delta }])
    }
    if (b.type === 'thinking') events.push(['contentBlockDelta', { contentBlockIndex, delta: { reasoningContent: { signature: b.signature } } }])
    events.push(['contentBlockStop', { contentBlockIndex }])
  }
  events.push(['messageStop', { stopReason: converseStop(plan) }])
  events.push(['metadata', { metrics: { latencyMs }, usage: usageJson(plan) }])
  return events.map(([type, payload], i) => [type, sortedKeys({ ...payload, p: padding(i) })])
}
