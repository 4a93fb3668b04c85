/**
 * The request bodies of issue 13's Claude Code-sized target, built from the recorded Claude Code request
 * (../shared/fixtures/clients/claude-code-api-key), non-streamed to `@anth` so that every answer is the same:
 *   - `session`: turns of one session, as Claude Code sends them: the same system prompt and tools
 *     (repeated under new names to ≥ 100 KB) on every call, the conversation one turn longer each time;
 *   - `small`: ~1 KB of the same shape, the same number of turns;
 *   - `firstSight`: bodies whose tools no call has sent before (each its own names): what the first
 *     calls of a new agent cost, before the gateway has seen its tools twice.
 */
import { existsSync, readFileSync } from 'node:fs'

export type AgentBodies = { session: Buffer[]; small: Buffer[]; firstSight(count: number, from?: number): Buffer[] }

const TURNS = 8

export function agentBodies(): AgentBodies | null {
  const file = new URL('../../shared/fixtures/clients/claude-code-api-key/002-POST_v1_messages.json', import.meta.url)
  if (!existsSync(file)) return null
  type Tool = { name: string }
  type Message = { role: string; content: unknown }
  const fx = (JSON.parse(readFileSync(file, 'utf8')) as { body: Record<string, unknown> & { tools: Tool[]; system: Array<{ text: string }>; messages: Message[] } }).body
  const base = { ...fx, model: '@anth/claude-x', stream: false }
  const turns = (k: number): Message[] => Array.from({ length: k }, (_, i) => [{ role: 'assistant', content: `Answer ${i}.` }, { role: 'user', content: `Question ${i + 1}?` }]).flat()
  const tools = [...fx.tools]
  for (let copy = 2; Buffer.byteLength(JSON.stringify({ ...base, tools })) < 100 * 1024; copy++) tools.push(...fx.tools.map((t) => ({ ...t, name: `${t.name}_${copy}` })))
  const session = Array.from({ length: TURNS }, (_, k) => Buffer.from(JSON.stringify({ ...base, tools, messages: [...fx.messages, ...turns(k)] })))
  const small = Array.from({ length: TURNS }, (_, k) => {
    const body = { model: base.model, max_tokens: fx.max_tokens, stream: false, metadata: fx.metadata, system: [{ type: 'text', text: (fx.system[0]?.text ?? '').slice(0, 300) }], messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }, ...turns(k)] }
    const pad = 1024 - Buffer.byteLength(JSON.stringify(body))
    ;(body.messages[0] as { content: Array<{ text: string }> }).content[0]!.text = 'Please say hello. '.repeat(Math.max(1, Math.ceil(pad / 18))).slice(0, Math.max(1, pad))
    return Buffer.from(JSON.stringify(body))
  })
  return { session, small, firstSight: (count, from = 0) => Array.from({ length: count }, (_, k) => Buffer.from(JSON.stringify({ ...base, tools: tools.map((t) => ({ ...t, name: `${t.name}_v${from + k}` })) }))) }
}
