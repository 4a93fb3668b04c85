/**
 * The request shapes of each client profile, as the real clients send them (Claude Code: Messages with
 * `?beta=true`, system blocks, streaming, a forced tool and its result, thinking; Codex: streamed
 * Responses with input items, a function tool and its output, reasoning effort; the OpenAI SDK: chat
 * completions, whole and streamed, a tool round trip, reasoning_effort), each with a small output cap
 * so a whole run costs a few hundred tokens. Each step says what a correct answer looks like and
 * notes what differs (model renamed, usage missing, thinking dropped…). Pure: no I/O.
 */
import type { SelfTestProfile } from '../../preload/contract.ts'
import type { Answer } from './readAnswer.ts'

export type Step = {
  name: string
  path: string
  headers?: Record<string, string>
  /** Output tokens the step may use at most (its cap); the estimate adds the input. */
  maxTokens: number
  /** Needs the answer of the previous step (a tool round trip's second half). */
  body(model: string, previous: Answer | null): Record<string, unknown>
  check(a: Answer, model: string): { ok: boolean; notes: string[] }
  /** Only for targets that take reasoning. */
  reasoning?: boolean
}

const weather = { name: 'get_weather', description: 'Current weather in a city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
const ask = 'What is the weather in Paris? Use the tool.'
const toolResult = '18°C and sunny'

function notesFor(a: Answer, model: string, usage: { input?: unknown; output?: unknown } | undefined): string[] {
  const notes: string[] = []
  if (a.model && a.model !== model && !model.startsWith('@')) notes.push(`the answer names model '${a.model}', not '${model}'`)
  if (!usage || typeof usage.input !== 'number' || typeof usage.output !== 'number') notes.push('no token usage in the answer')
  else if (usage.input === 0) notes.push('input tokens reported as 0')
  return notes
}

// ---- OpenAI SDK: chat completions ----

type ChatAnswer = { model?: string; choices?: Array<{ message?: { content?: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; reasoning_content?: string } }>; usage?: { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } } }

const chat = (a: Answer) => a.json as ChatAnswer
const chatUsage = (a: Answer) => ({ input: chat(a).usage?.prompt_tokens, output: chat(a).usage?.completion_tokens })
const chatTool = { type: 'function', function: { name: weather.name, description: weather.description, parameters: weather.schema } }

const openaiSdk: Step[] = [
  {
    name: 'text',
    path: '/v1/chat/completions',
    maxTokens: 16,
    body: (model) => ({ model, max_tokens: 16, messages: [{ role: 'user', content: 'Say hello in one word.' }] }),
    check: (a, model) => {
      const text = chat(a).choices?.[0]?.message?.content
      return { ok: a.status === 200 && !!text, notes: [...(text ? [] : ['no text in the answer']), ...notesFor(a, model, chatUsage(a))] }
    },
  },
  {
    name: 'streaming',
    path: '/v1/chat/completions',
    maxTokens: 16,
    body: (model) => ({ model, max_tokens: 16, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Count to three.' }] }),
    check: (a, model) => {
      const chunks = a.events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as ChatAnswer & { choices?: Array<{ delta?: { content?: string } }> })
      const text = chunks.map((c) => (c.choices?.[0] as { delta?: { content?: string } } | undefined)?.delta?.content ?? '').join('')
      const usage = chunks.find((c) => c.usage)?.usage
      const notes = notesFor({ ...a, model: chunks[0]?.model ?? null }, model, usage && { input: usage.prompt_tokens, output: usage.completion_tokens })
      if (!a.events.some((e) => e.data === '[DONE]')) notes.push('the stream did not end with [DONE]')
      return { ok: a.status === 200 && text.length > 0, notes: text ? notes : ['no text streamed', ...notes] }
    },
  },
  {
    name: 'tool call',
    path: '/v1/chat/completions',
    maxTokens: 40,
    body: (model) => ({ model, max_tokens: 40, tools: [chatTool], tool_choice: { type: 'function', function: { name: weather.name } }, messages: [{ role: 'user', content: ask }] }),
    check: (a, model) => {
      const call = chat(a).choices?.[0]?.message?.tool_calls?.[0]
      return { ok: a.status === 200 && call?.function.name === weather.name, notes: [...(call ? [] : ['no tool call although one was forced']), ...notesFor(a, model, chatUsage(a))] }
    },
  },
  {
    name: 'tool result',
    path: '/v1/chat/completions',
    maxTokens: 24,
    body: (model, prev) => {
      const call = prev && chat(prev).choices?.[0]?.message?.tool_calls?.[0]
      const id = call?.id ?? 'call_selftest'
      return {
        model,
        max_tokens: 24,
        tools: [chatTool],
        messages: [
          { role: 'user', content: ask },
          { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: weather.name, arguments: call?.function.arguments ?? '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: id, content: toolResult },
        ],
      }
    },
    check: (a, model) => {
      const text = chat(a).choices?.[0]?.message?.content
      return { ok: a.status === 200 && !!text, notes: [...(text ? [] : ['no text after the tool result']), ...notesFor(a, model, chatUsage(a))] }
    },
  },
  {
    name: 'reasoning',
    path: '/v1/chat/completions',
    maxTokens: 400,
    reasoning: true,
    body: (model) => ({ model, max_completion_tokens: 400, reasoning_effort: 'low', messages: [{ role: 'user', content: 'Is 91 prime? One word.' }] }),
    check: (a, model) => {
      const c = chat(a)
      const shown = !!c.choices?.[0]?.message?.reasoning_content || (c.usage?.completion_tokens_details?.reasoning_tokens ?? 0) > 0
      return { ok: a.status === 200, notes: [...(shown ? [] : ['no reasoning came back (no reasoning tokens or text)']), ...notesFor(a, model, chatUsage(a))] }
    },
  },
]

// ---- Claude Code: Messages ----

type MessagesAnswer = { model?: string; content?: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown; thinking?: string }>; usage?: { input_tokens?: number; output_tokens?: number } }

const msg = (a: Answer) => a.json as MessagesAnswer
const msgUsage = (a: Answer) => ({ input: msg(a).usage?.input_tokens, output: msg(a).usage?.output_tokens })
const claudeHeaders = { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14' }
const claudeSystem = [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }]
const claudeTool = { name: weather.name, description: weather.description, input_schema: weather.schema }

const claudeCode: Step[] = [
  {
    name: 'text',
    path: '/v1/messages?beta=true',
    headers: claudeHeaders,
    maxTokens: 16,
    body: (model) => ({ model, max_tokens: 16, system: claudeSystem, messages: [{ role: 'user', content: [{ type: 'text', text: 'Say hello in one word.' }] }] }),
    check: (a, model) => {
      const text = msg(a).content?.find((b) => b.type === 'text')?.text
      return { ok: a.status === 200 && !!text, notes: [...(text ? [] : ['no text block']), ...notesFor(a, model, msgUsage(a))] }
    },
  },
  {
    name: 'streaming',
    path: '/v1/messages?beta=true',
    headers: claudeHeaders,
    maxTokens: 16,
    body: (model) => ({ model, max_tokens: 16, stream: true, system: claudeSystem, messages: [{ role: 'user', content: 'Count to three.' }] }),
    check: (a, model) => {
      const events = a.events.map((e) => JSON.parse(e.data) as { type: string; message?: MessagesAnswer; delta?: { text?: string }; usage?: { output_tokens?: number } })
      const start = events.find((e) => e.type === 'message_start')?.message
      const text = events.map((e) => (e.type === 'content_block_delta' ? (e.delta?.text ?? '') : '')).join('')
      const notes = notesFor({ ...a, model: start?.model ?? null }, model, { input: start?.usage?.input_tokens, output: events.findLast((e) => e.type === 'message_delta')?.usage?.output_tokens })
      if (start?.usage?.input_tokens === 0) notes.push('message_start says 0 input tokens')
      if (!events.some((e) => e.type === 'message_stop')) notes.push('no message_stop')
      return { ok: a.status === 200 && text.length > 0, notes: text ? notes : ['no text streamed', ...notes] }
    },
  },
  {
    name: 'tool call',
    path: '/v1/messages?beta=true',
    headers: claudeHeaders,
    maxTokens: 40,
    body: (model) => ({ model, max_tokens: 40, system: claudeSystem, tools: [claudeTool], tool_choice: { type: 'tool', name: weather.name }, messages: [{ role: 'user', content: ask }] }),
    check: (a, model) => {
      const call = msg(a).content?.find((b) => b.type === 'tool_use')
      return { ok: a.status === 200 && call?.name === weather.name, notes: [...(call ? [] : ['no tool_use block although one was forced']), ...notesFor(a, model, msgUsage(a))] }
    },
  },
  {
    name: 'tool result',
    path: '/v1/messages?beta=true',
    headers: claudeHeaders,
    maxTokens: 24,
    body: (model, prev) => {
      const call = prev ? msg(prev).content?.find((b) => b.type === 'tool_use') : undefined
      const id = call?.id ?? 'toolu_selftest'
      return {
        model,
        max_tokens: 24,
        system: claudeSystem,
        tools: [claudeTool],
        messages: [
          { role: 'user', content: ask },
          { role: 'assistant', content: [{ type: 'tool_use', id, name: weather.name, input: call?.input ?? { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: toolResult }] },
        ],
      }
    },
    check: (a, model) => {
      const text = msg(a).content?.find((b) => b.type === 'text')?.text
      return { ok: a.status === 200 && !!text, notes: [...(text ? [] : ['no text after the tool result']), ...notesFor(a, model, msgUsage(a))] }
    },
  },
  {
    name: 'thinking',
    path: '/v1/messages?beta=true',
    headers: claudeHeaders,
    // Anthropic's smallest thinking budget is 1,024 tokens: the cap is that, a trivial question uses far less.
    maxTokens: 1100,
    reasoning: true,
    body: (model) => ({ model, max_tokens: 1100, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Is 91 prime? One word.' }] }),
    check: (a, model) => {
      const thought = msg(a).content?.some((b) => b.type === 'thinking')
      return { ok: a.status === 200, notes: [...(thought ? [] : ['no thinking block came back']), ...notesFor(a, model, msgUsage(a))] }
    },
  },
]

// ---- Codex: streamed Responses ----

type ResponseObject = { model?: string; output?: Array<{ type: string; call_id?: string; name?: string; arguments?: string; content?: Array<{ type: string; text?: string }> }>; usage?: { input_tokens?: number; output_tokens?: number; output_tokens_details?: { reasoning_tokens?: number } } }

function completed(a: Answer): ResponseObject | undefined {
  for (const e of a.events) {
    const j = JSON.parse(e.data) as { type?: string; response?: ResponseObject }
    if (j.type === 'response.completed') return j.response
  }
  return undefined
}
const respUsage = (r: ResponseObject | undefined) => ({ input: r?.usage?.input_tokens, output: r?.usage?.output_tokens })
const codexTool = { type: 'function', name: weather.name, description: weather.description, parameters: weather.schema, strict: false }
const codexBase = (model: string, input: unknown[], maxTokens: number) => ({
  model,
  instructions: 'You are a coding agent running in the Codex CLI.',
  input,
  store: false,
  stream: true,
  max_output_tokens: maxTokens,
})
const userItem = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })

function codexCheck(want: 'text' | 'call', a: Answer, model: string): { ok: boolean; notes: string[] } {
  const r = completed(a)
  const text = r?.output?.flatMap((o) => o.content ?? []).find((c) => c.type === 'output_text')?.text
  const call = r?.output?.find((o) => o.type === 'function_call')
  const notes = notesFor({ ...a, model: r?.model ?? null }, model, respUsage(r))
  if (!r) notes.unshift('no response.completed event')
  const ok = a.status === 200 && (want === 'text' ? !!text : call?.name === weather.name)
  if (!ok && r) notes.unshift(want === 'text' ? 'no output text' : 'no function_call although one was forced')
  return { ok, notes }
}

const codex: Step[] = [
  {
    name: 'streaming text',
    path: '/v1/responses',
    maxTokens: 16,
    body: (model) => codexBase(model, [userItem('Say hello in one word.')], 16),
    check: (a, model) => codexCheck('text', a, model),
  },
  {
    name: 'tool call',
    path: '/v1/responses',
    maxTokens: 40,
    body: (model) => ({ ...codexBase(model, [userItem(ask)], 40), tools: [codexTool], tool_choice: { type: 'function', name: weather.name } }),
    check: (a, model) => codexCheck('call', a, model),
  },
  {
    name: 'tool result',
    path: '/v1/responses',
    maxTokens: 24,
    body: (model, prev) => {
      const call = prev ? completed(prev)?.output?.find((o) => o.type === 'function_call') : undefined
      const callId = call?.call_id ?? 'call_selftest'
      return {
        ...codexBase(model, [userItem(ask), { type: 'function_call', call_id: callId, name: weather.name, arguments: call?.arguments ?? '{"city":"Paris"}' }, { type: 'function_call_output', call_id: callId, output: toolResult }], 24),
        tools: [codexTool],
      }
    },
    check: (a, model) => codexCheck('text', a, model),
  },
  {
    name: 'reasoning',
    path: '/v1/responses',
    maxTokens: 400,
    reasoning: true,
    body: (model) => ({ ...codexBase(model, [userItem('Is 91 prime? One word.')], 400), reasoning: { effort: 'low', summary: 'auto' } }),
    check: (a, model) => {
      const r = completed(a)
      const base = codexCheck('text', a, model)
      const reasoned = (r?.usage?.output_tokens_details?.reasoning_tokens ?? 0) > 0 || !!r?.output?.some((o) => o.type === 'reasoning')
      return { ok: base.ok, notes: [...(reasoned ? [] : ['no reasoning came back (no reasoning item or tokens)']), ...base.notes] }
    },
  },
]

export const selfTestSteps: Record<SelfTestProfile, Step[]> = { 'openai-sdk': openaiSdk, 'claude-code': claudeCode, codex }

