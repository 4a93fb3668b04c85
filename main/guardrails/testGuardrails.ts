/**
 * The guardrail test box: runs a set over sample text as if it were a chat request's user message
 * (input) or a chat completion's answer (output), with the engine the gateway uses. Pure.
 */
import type { GuardrailSet, GuardrailTestResult } from '../../preload/contract.ts'
import { compileGuardrails, createRedactor, inspectRequest, inspectResponse } from './guardrails.ts'

export function testGuardrails(set: GuardrailSet, text: string, stage: 'input' | 'output'): GuardrailTestResult {
  const g = compileGuardrails(set)
  if (stage === 'input') {
    const v = inspectRequest(g, 'chat', { messages: [{ role: 'user', content: text }] }, createRedactor())
    const messages = v.body.messages as Array<{ content: string }>
    return { results: v.results, blocked: v.blocked, text: messages[0]?.content ?? text }
  }
  const body = { object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] }
  const v = inspectResponse(g, 'chat', body, createRedactor())
  const choices = v.body.choices as Array<{ message: { content: string } }>
  return { results: v.results, blocked: v.blocked, text: choices[0]?.message.content ?? text }
}
