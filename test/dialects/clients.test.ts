/**
 * Requests as real clients send them (test/fixtures/clients/: Claude Code, Codex, the SDKs) become
 * valid requests in every other dialect, and the trip to chat completions and back keeps the tools, the
 * system prompt and the messages.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { CallerDialectId, ChatRequest } from '../../main/dialects/canonical.ts'
import { namespaceSeparator } from '../../main/dialects/canonical.ts'
import { countTokens } from '../../main/dialects/countTokens.ts'
import { dialects, translateRequest } from '../../main/dialects/translate.ts'
import { clientFixtures } from '../support/clientFixtures.ts'
import { anthropicProblems, chatProblems, responsesProblems } from './validate.ts'

const root = clientFixtures
const dialectOf: Record<string, CallerDialectId> = { '/v1/chat/completions': 'openai', '/v1/messages': 'anthropic', '/v1/responses': 'responses' }
const problems = { openai: chatProblems, anthropic: anthropicProblems, responses: responsesProblems }

type Capture = { file: string; dialect: CallerDialectId; body: Record<string, unknown> }
const captures: Capture[] = []
for (const dir of readdirSync(root, { withFileTypes: true })) {
  if (!dir.isDirectory()) continue
  for (const file of readdirSync(join(root, dir.name))) {
    if (!file.endsWith('.json')) continue
    const c = JSON.parse(readFileSync(join(root, dir.name, file), 'utf8')) as { path: string; body: Record<string, unknown> }
    const dialect = dialectOf[c.path]
    if (dialect) captures.push({ file: `${dir.name}/${file}`, dialect, body: c.body })
  }
}

const claudeCode = captures.find((c) => c.file.startsWith('claude-code'))
const codex = captures.find((c) => c.file.startsWith('codex'))

test('the captures include Claude Code and Codex', () => {
  assert.ok(claudeCode && codex)
})

for (const c of captures) {
  for (const target of ['openai', 'anthropic', 'responses'] as const) {
    if (target === c.dialect) continue
    test(`${c.file} (${c.dialect}) → valid ${target} request`, () => {
      for (const reasoning of [false, true]) {
        const { body } = translateRequest(c.body, c.dialect, target, { reasoning })
        assert.deepEqual(problems[target](JSON.parse(JSON.stringify(body))), [])
      }
    })
  }
}

/** The same conversation one turn later, as Claude Code sends it: thinking, text and two tool calls answered. */
function claudeCodeNextTurn(body: Record<string, unknown>): Record<string, unknown> {
  const messages = [
    ...(body.messages as unknown[]),
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Let me look at the files.', signature: 'EqQBCgIYAhIM' },
        { type: 'text', text: 'Checking the project.' },
        { type: 'tool_use', id: 'toolu_01A', name: 'Bash', input: { command: 'ls', description: 'List files' } },
        { type: 'tool_use', id: 'toolu_01B', name: 'Read', input: { file_path: '/home/dev/project/README.md' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'README.md\nsrc' },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01B',
          content: [{ type: 'text', text: 'File does not exist.' }],
          is_error: true,
          cache_control: { type: 'ephemeral' },
        },
      ],
    },
  ]
  return { ...body, messages }
}

function texts(r: ChatRequest): string[] {
  return r.messages.flatMap((m) =>
    m.content.flatMap((p) => {
      if (p.type === 'text') return [`${m.role}:${p.text}`]
      if (p.type === 'tool_result') return p.content.flatMap((c) => (c.type === 'text' ? [`result:${c.text}`] : []))
      return []
    }),
  )
}

function functionTools(r: ChatRequest) {
  return r.tools.flatMap((t) => {
    if (t.type !== 'function') return []
    const name = t.namespace ? t.namespace.name + namespaceSeparator + t.name : t.name
    return [{ name, description: t.description, parameters: t.parameters }]
  })
}

for (const [name, capture] of [
  ['Claude Code', claudeCode],
  ['Claude Code, next turn with tool results', claudeCode && { ...claudeCode, body: claudeCodeNextTurn(claudeCode.body) }],
  ['Codex', codex],
] as const) {
  test(`${name}: → chat completions → back keeps tools, system prompt and messages`, () => {
    assert.ok(capture)
    const { request: original, body: chat } = translateRequest(capture.body, capture.dialect, 'openai')
    assert.deepEqual(chatProblems(JSON.parse(JSON.stringify(chat))), [])
    const { request: viaChat, body: back } = translateRequest(chat, 'openai', capture.dialect)
    assert.deepEqual(problems[capture.dialect](JSON.parse(JSON.stringify(back))), [])
    assert.deepEqual(functionTools(viaChat), functionTools(original))
    assert.equal(viaChat.system.map((p) => p.text).join('\n\n'), original.system.map((p) => p.text).join('\n\n'))
    assert.deepEqual(texts(viaChat), texts(original))
    const calls = (r: ChatRequest) => r.messages.flatMap((m) => m.content.filter((p) => p.type === 'tool_call'))
    // cache_control has no chat equivalent; everything else about the calls survives.
    const withoutCache = calls(original).map(({ cacheControl: _, ...p }) => p)
    assert.deepEqual(calls(viaChat), withoutCache)
    assert.equal(viaChat.model, original.model)
    assert.equal(viaChat.maxTokens, original.maxTokens)
    assert.equal(viaChat.stream, original.stream)
  })
}

test('Claude Code: the mid-conversation system entry stays in place in chat completions', () => {
  assert.ok(claudeCode)
  const { body } = translateRequest(claudeCode.body, 'anthropic', 'openai')
  const roles = (body.messages as { role: string }[]).map((m) => m.role)
  assert.deepEqual(roles, ['system', 'user', 'system'])
})

test('Claude Code: Anthropic → canonical → Anthropic keeps cache_control, metadata, context_management and thinking', () => {
  assert.ok(claudeCode)
  const r = dialects.anthropic.request.toCanonical(claudeCode.body)
  const back = dialects.anthropic.request.fromCanonical(r, { reasoning: true })
  const original = claudeCode.body
  assert.deepEqual(back.system, original.system)
  assert.deepEqual(back.metadata, original.metadata)
  assert.deepEqual(back.context_management, original.context_management)
  assert.deepEqual(back.output_config, original.output_config)
  assert.deepEqual(back.thinking, original.thinking)
  assert.deepEqual(back.tools, original.tools)
  assert.deepEqual(back.messages, original.messages)
})

test('token estimate of the Claude Code request is in range', () => {
  assert.ok(claudeCode)
  const r = dialects.anthropic.request.toCanonical(claudeCode.body)
  const n = countTokens(r)
  // 48 KB of JSON, mostly English prose and schemas: about 4 bytes per token.
  assert.ok(n > 8_000 && n < 16_000, String(n))
})
