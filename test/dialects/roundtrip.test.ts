/**
 * Round trips X → canonical → X → canonical lose nothing: every golden input and every captured client
 * request, response and stream of a dialect comes back to the same canonical form through that dialect.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { ChatEvent, ChatRequest, DialectId } from '../../main/dialects/canonical.ts'
import { sse } from '../../main/dialects/sse.ts'
import { dialects } from '../../main/dialects/translate.ts'
import { clientFixtures } from '../support/clientFixtures.ts'

const golden = fileURLToPath(new URL('./golden/', import.meta.url))
const clients = clientFixtures

/** Golden inputs of one kind written in `dialect`, deduplicated (the same example feeds several folders). */
function inputs(dialect: DialectId, kind: 'request' | 'response' | 'stream'): Map<string, string> {
  const found = new Map<string, string>()
  for (const dir of readdirSync(golden)) {
    if (!dir.startsWith(`${dialect}-to-`)) continue
    for (const file of readdirSync(join(golden, dir))) {
      if (!file.startsWith(`${kind}-`) || !/\.in\.(json|sse)$/.test(file)) continue
      found.set(readFileSync(join(golden, dir, file), 'utf8'), `${dir}/${file}`)
    }
  }
  return new Map([...found].map(([text, name]) => [name, text]))
}

/**
 * What a round trip may change by design: the system prompt's split into parts (dialects without
 * system blocks join them), the stream usage request (always made upstream), Responses' `store: false`.
 */
function normalize(r: ChatRequest): ChatRequest {
  const copy = structuredClone(r)
  copy.system = copy.system.length ? [{ type: 'text', text: copy.system.map((p) => p.text).join('\n\n') }] : []
  delete copy.streamUsage
  if (copy.extra?.responses?.store === false) delete copy.extra.responses.store
  if (copy.extra?.responses && Object.keys(copy.extra.responses).length === 0) delete copy.extra.responses
  if (copy.extra && Object.keys(copy.extra).length === 0) delete copy.extra
  return copy
}

const options = { reasoning: true, echoReasoning: true }

for (const dialect of ['openai', 'anthropic', 'responses'] as const) {
  const d = dialects[dialect]
  const requests = inputs(dialect, 'request')
  const clientDir = { openai: 'sdks', anthropic: 'claude-code-api-key', responses: 'codex-responses' }[dialect]
  for (const dir of new Set([clientDir, 'sdks'])) {
    for (const file of readdirSync(join(clients, dir))) {
      if (!file.endsWith('.json')) continue
      const capture = JSON.parse(readFileSync(join(clients, dir, file), 'utf8')) as { path: string; body: unknown }
      const path = { openai: '/v1/chat/completions', anthropic: '/v1/messages', responses: '/v1/responses' }[dialect]
      if (capture.path === path) requests.set(`clients/${dir}/${file}`, JSON.stringify(capture.body))
    }
  }

  for (const [name, text] of requests) {
    test(`${dialect} request round trip: ${name}`, () => {
      const first = d.request.toCanonical(JSON.parse(text))
      const second = d.request.toCanonical(JSON.parse(JSON.stringify(d.request.fromCanonical(first, options))))
      assert.deepEqual(normalize(second), normalize(first))
    })
  }

  for (const [name, text] of inputs(dialect, 'response')) {
    test(`${dialect} response round trip: ${name}`, () => {
      const first = d.response.toCanonical(JSON.parse(text))
      const second = d.response.toCanonical(JSON.parse(JSON.stringify(d.response.fromCanonical(first))))
      assert.deepEqual(second, first)
    })
  }

  for (const [name, text] of inputs(dialect, 'stream')) {
    test(`${dialect} stream round trip: ${name}`, () => {
      const decode = (wire: string): ChatEvent[] => {
        const parser = sse.parser()
        const from = d.stream.toCanonical()
        const events = [...parser.push(wire), ...parser.end()].flatMap((e) => from.push(e))
        return [...events, ...from.end()]
      }
      const first = decode(text)
      const to = d.stream.fromCanonical({ request: { model: '', system: [], messages: [], tools: [], stream: true, streamUsage: true } })
      const second = decode(sse.write([...first.flatMap((e) => to.push(e)), ...to.end()]))
      // Usage may be reported at other points of the stream; what counts is the last figure.
      // A delta's `literal` is how the wire happened to escape its text (read through a template), not content.
      const content = (e: ChatEvent): ChatEvent => (e.type === 'text_delta' ? { type: e.type, index: e.index, text: e.text } : e)
      const settled = (events: ChatEvent[]) => [...events.filter((e) => e.type !== 'usage').map(content), events.findLast((e) => e.type === 'usage')]
      assert.deepEqual(settled(second), settled(first))
    })
  }
}
