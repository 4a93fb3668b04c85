/**
 * Guardrail scan of a real Claude Code request scaled to ~100 KB: `node bench/guardrails.ts`.
 * The request is the recorded Claude Code `/v1/messages` body with its conversation repeated (user
 * turns, tool calls, tool results) until the JSON is ~100 KB. Measures `inspectRequest` with every
 * secret and PII detector on (redact), median of several runs, against the 2 ms target; also the
 * cost for a workspace without guardrails (the map lookup the request path pays).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mapRequestText } from '../main/guardrails/bodyText.ts'
import { allDetectors, scanText } from '../main/guardrails/detectors.ts'
import { compileGuardrails, createRedactor, inspectRequest } from '../main/guardrails/guardrails.ts'
import { clientFixtures } from '../test/support/clientFixtures.ts'

const TARGET_MS = 2
const fixture = process.env.CLAUDE_CODE_FIXTURE ?? join(clientFixtures, 'claude-code-api-key/002-POST_v1_messages.json')

export function claudeCodeRequest(targetBytes = 100 * 1024): Record<string, unknown> {
  const recorded = JSON.parse(readFileSync(fixture, 'utf8')) as { body: Record<string, unknown> | string }
  const body = (typeof recorded.body === 'string' ? JSON.parse(recorded.body) : recorded.body) as Record<string, unknown>
  const original = body.messages as Array<Record<string, unknown>>
  const system = JSON.stringify(body.system)
  const messages = [...original]
  // A working session: the model reads files (tool results with real text), runs commands, the user answers.
  let n = 0
  while (JSON.stringify({ ...body, messages }).length < targetBytes) {
    const id = `toolu_01${String(n).padStart(6, '0')}Abcdefghijklmn`
    messages.push(
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look at that file.' }, { type: 'tool_use', id, name: 'Read', input: { file_path: `/home/dev/project/src/module${n}.ts` } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: system.slice((n * 1777) % 3000, ((n * 1777) % 3000) + 3000) }] },
      { role: 'user', content: [{ type: 'text', text: `Now fix the failing test in module${n} (see line ${40 + n}, version 1.2.${n}).` }] },
    )
    n++
  }
  return { ...body, messages }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const body = claudeCodeRequest()
  const size = JSON.stringify(body).length
  let scanned = 0
  mapRequestText(body, 'messages', (text) => void (scanned += text.length))
  const g = compileGuardrails({ input: [{ id: 'secrets', type: 'secrets', action: 'redact' }, { id: 'pii', type: 'pii', action: 'redact' }] })
  for (let i = 0; i < 200; i++) inspectRequest(g, 'messages', body, createRedactor()) // warm up the JIT
  const rounds: number[] = []
  for (let r = 0; r < 9; r++) {
    const reps = 50
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) inspectRequest(g, 'messages', body, createRedactor())
    rounds.push((performance.now() - t0) / reps)
  }
  const ms = median(rounds)
  // The detectors alone over the whole serialized request, tool definitions included (an upper bound).
  const whole = JSON.stringify(body)
  const on = new Set(allDetectors)
  const raw: number[] = []
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now()
    for (let i = 0; i < 50; i++) scanText(whole, on)
    raw.push((performance.now() - t0) / 50)
  }
  const found = inspectRequest(g, 'messages', body, createRedactor()).results
  const empty = new Map<string, unknown>()
  const t1 = performance.now()
  let hits = 0
  for (let i = 0; i < 1_000_000; i++) if (empty.get('ws_default')) hits++
  const noneNs = ((performance.now() - t1) / 1_000_000) * 1e6
  console.log(`guardrail scan, Claude Code request of ${(size / 1024).toFixed(1)} KB (${(scanned / 1024).toFixed(1)} KB of message, system and tool text scanned; tool definitions are not content), all secret + PII detectors (redact):`)
  console.log(`  median ${ms.toFixed(3)} ms per request over 9 rounds   target ≤ ${TARGET_MS} ms   ${ms <= TARGET_MS ? 'OK' : 'OVER TARGET'}`)
  console.log(`  detectors alone over all ${(whole.length / 1024).toFixed(1)} KB of JSON (tool definitions too): median ${median(raw).toFixed(3)} ms`)
  console.log(`  findings: ${JSON.stringify(found.map((r) => ({ check: r.check, count: r.count, detectors: r.detectors })))}`)
  console.log(`  workspace without guardrails: ${noneNs.toFixed(1)} ns per request (one map lookup${hits ? '' : ', nothing found'})`)
}
