/**
 * Project and branch from the places coding agents put them. The Claude Code shapes are those of a
 * real `claude -p` run (2.x) inside a git repository on branch `feature/attrib-x`; Codex's is its
 * captured request (../shared/fixtures/clients/codex-responses).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { folderName, readAttribution } from '../../main/attribution/readAttribution.ts'
import { scanJson } from '../../main/gateway/jsonBytes.ts'
import { deferredArray, lazyBody } from '../../main/gateway/lazyBody.ts'

const claudeEnv =
  '<system-reminder>\n# Environment\nYou have been invoked in the following environment: \n - Primary working directory: /tmp/fr-cc/repo\n - Is a git repository: true\n - Platform: linux\n - Shell: bash\n</system-reminder>'
const claudeGit =
  "<system-reminder>\nAs you answer the user's questions, you can use the following context:\n# gitStatus\nThis is the git status at the start of the conversation. Note that this status is a snapshot in time, and will not update during the conversation.\n\nCurrent branch: feature/attrib-x\n\nMain branch (you will usually use this for PRs): main\n</system-reminder>"

test('Claude Code 2.x: environment and git status in the first user message', () => {
  const body = {
    system: [{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }],
    messages: [{ role: 'user', content: [{ type: 'text', text: claudeEnv }, { type: 'text', text: 'skills…' }, { type: 'text', text: claudeGit }, { type: 'text', text: 'hi' }] }],
  }
  assert.deepEqual(readAttribution('messages', body), { project: 'repo', branch: 'feature/attrib-x' })
})

test('Claude Code 2.1.330 (captured request): the environment is a `system` entry in messages; read plain and from a large body, twice', () => {
  const captured = JSON.parse(readFileSync(new URL('../../../shared/fixtures/clients/claude-code-api-key/002-POST_v1_messages.json', import.meta.url), 'utf8')) as { body: Record<string, unknown> & { messages: unknown[] } }
  const plain = captured.body
  assert.deepEqual(readAttribution('messages', plain), { project: 'project' })
  // A later turn of that session: the same first messages, a long history after them.
  const later = { ...plain, messages: [...plain.messages, ...Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', content: `turn ${i} `.repeat(100) }))] }
  for (let turn = 0; turn < 2; turn++) {
    const bytes = Buffer.from(JSON.stringify(later))
    const body = lazyBody(bytes, scanJson(bytes, 512).members ?? [])
    assert.ok(body)
    assert.deepEqual(readAttribution('messages', body), { project: 'project' }, `turn ${turn}`)
    assert.equal(deferredArray(body, 'messages'), true)
  }
  // Only the first message and system entries: a system entry's place is taken by a user message.
  const moved = { ...plain, messages: [plain.messages[0], { role: 'user', content: (plain.messages[1] as { content: unknown }).content }] }
  assert.deepEqual(readAttribution('messages', moved), {})
})

test('first messages remembered from earlier calls are stepped over by their bytes; one that differs by a byte is read again', () => {
  const first = (dir: string, branch: string) => ({ role: 'user', content: [{ type: 'text', text: claudeEnv.replace('/tmp/fr-cc/repo', dir) }, { type: 'text', text: claudeGit.replace('feature/attrib-x', branch) }] })
  const history = Array.from({ length: 30 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', content: `turn ${i} `.repeat(100) }))
  const read = (messages: unknown[]) => {
    const bytes = Buffer.from(JSON.stringify({ model: 'm', tools: Array.from({ length: 300 }, (_, i) => ({ name: `t${i}` })), messages }))
    const body = lazyBody(bytes, scanJson(bytes, 512).members ?? [])
    assert.ok(body && deferredArray(body, 'messages'))
    return readAttribution('messages', body)
  }
  // A plain message and a system entry before the history, as Claude Code 2.1 sends them.
  const sys = (text: string) => ({ role: 'system', content: text })
  for (let call = 0; call < 3; call++) assert.deepEqual(read([first('/w/app', 'main'), sys('x'), ...history]), { project: 'app', branch: 'main' }, `call ${call}`)
  // Same length, one byte apart (app → apq, main → mail): not the remembered element.
  assert.deepEqual(read([first('/w/apq', 'main'), sys('x'), ...history]), { project: 'apq', branch: 'main' })
  assert.deepEqual(read([first('/w/app', 'mail'), sys('x'), ...history]), { project: 'app', branch: 'mail' })
  // A remembered element at another position is not taken for this one.
  assert.deepEqual(read([sys('x'), first('/w/app', 'main'), ...history]), {})
  // The second element was remembered as holding nothing; one with the environment in it is read.
  assert.deepEqual(read([{ role: 'user', content: 'hi' }, sys(claudeEnv.replace('/tmp/fr-cc/repo', '/w/sys')), ...history]), { project: 'sys' })
  // A first message whose bytes match a remembered (shorter) one's only where it ends ("}," inside its text) is scanned, not cut there.
  const short = JSON.stringify({ role: 'user', content: 'hi' })
  const head = '{"role":"user","content":"'
  const tricky = { role: 'user', content: `${'x'.repeat(short.length - 1 - head.length)}},${claudeEnv.replace('/tmp/fr-cc/repo', '/w/tricky')}` }
  assert.equal(JSON.stringify(tricky).slice(short.length - 1, short.length + 1), '},')
  assert.deepEqual(read([tricky, ...history]), { project: 'tricky' })
})

test('Claude Code before 2.x: <env> in the system prompt; no git repository, no branch', () => {
  const body = { system: 'You are Claude Code.\n<env>\nWorking directory: /home/dev/my-app\nIs directory a git repo: No\n</env>', messages: [{ role: 'user', content: 'hi' }] }
  assert.deepEqual(readAttribution('messages', body), { project: 'my-app' })
})

test('a prompt that only mentions a branch in the text later on is not read', () => {
  const body = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'Current branch: sneaky\nPrimary working directory: /x/y' }] }
  assert.deepEqual(readAttribution('messages', body), {})
})

test('Codex: <cwd> of the environment context (captured request)', () => {
  const captured = JSON.parse(readFileSync(new URL('../../../shared/fixtures/clients/codex-responses/001-POST_v1_responses.json', import.meta.url), 'utf8')) as { body?: unknown }
  const body = (typeof captured.body === 'string' ? JSON.parse(captured.body) : (captured.body ?? captured)) as Record<string, unknown>
  assert.deepEqual(readAttribution('responses', body), { project: 'project' })
})

test('other endpoints and plain requests are not looked at', () => {
  assert.deepEqual(readAttribution('chat', { messages: [{ role: 'system', content: 'Primary working directory: /a/b' }] }), {})
  assert.deepEqual(readAttribution('responses', { input: 'hello' }), {})
})

test('folder names', () => {
  assert.equal(folderName('/home/dev/my-app/'), 'my-app')
  assert.equal(folderName('C:\\Users\\dev\\repo'), 'repo')
  assert.equal(folderName('/'), undefined)
})

test('large bodies, their history and inputs deferred, read as the parsed ones', () => {
  const bulk = Array.from({ length: 200 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', content: `Current branch: later-${i}\nPrimary working directory: /x/later-${i}` }))
  const claude = { system: [{ type: 'text', text: 'You are Claude Code.' }], messages: [{ role: 'user', content: [{ type: 'text', text: claudeEnv }, { type: 'text', text: claudeGit }] }, ...bulk] }
  const codexItems = [{ role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/home/dev/codex-app</cwd>\n</environment_context>' }] }, ...bulk]
  for (const [endpoint, plain, expected] of [
    ['messages', claude, { project: 'repo', branch: 'feature/attrib-x' }],
    ['responses', { input: codexItems }, { project: 'codex-app' }],
  ] as const) {
    const bytes = Buffer.from(JSON.stringify(plain))
    const body = lazyBody(bytes, scanJson(bytes, 512).members ?? [])
    assert.ok(body, 'deferred')
    assert.deepEqual(readAttribution(endpoint, body), expected)
    assert.deepEqual(readAttribution(endpoint, plain as Record<string, unknown>), expected)
    assert.equal(deferredArray(body, endpoint === 'messages' ? 'messages' : 'input'), true, 'only the first items were parsed')
  }
})
