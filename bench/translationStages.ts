/**
 * The translation's own work in one process, without sockets: what `npm run bench`'s translated ÷
 * passthrough stream figure pays beyond relaying. Per stream of 100 text deltas (the bench upstream's):
 *   - passthrough: an Anthropic stream parsed and read for usage, as the gateway reads it;
 *   - translated: an OpenAI chat stream parsed, translated to Anthropic events and written as the
 *     bytes the client gets, as the gateway does it (its common text deltas copied through the
 *     translator's text lane), and with every event parsed and translated (the lane off), for reference;
 * and per request, the bench's small Anthropic body translated to an OpenAI chat body.
 * `npx node bench/translationStages.ts [--rounds 7]`. Medians of alternating rounds.
 */
import { parseArgs } from 'node:util'
import { sse, type SseEvent } from '../main/dialects/sse.ts'
import { createStreamTranslator, translateRequest } from '../main/dialects/translate.ts'

const words = Array.from({ length: 100 }, (_, i) => `word${i} `)
const chat = (delta: Record<string, unknown>, finish: string | null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
const usageChunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 12, completion_tokens: 100, total_tokens: 112 } })}\n\n`
/** As bench/upstream.ts sends them: the first event, then the rest in one write. */
const openaiStream = [chat({ role: 'assistant', content: '' }, null), [...words.map((w) => chat({ content: w }, null)), chat({}, 'stop'), usageChunk, 'data: [DONE]\n\n'].join('')].map((s) => Buffer.from(s))
const ev = (event: string, data: Record<string, unknown>) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
const anthropicStream = [
  ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
  [
    ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ...words.map((w) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })),
    ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
    ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 100 } }),
    ev('message_stop', { type: 'message_stop' }),
  ].join(''),
].map((s) => Buffer.from(s))
const askBody = JSON.stringify({ model: '@up/gpt-4o', max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Say a hundred words.' }] })

/** Bytes toward the client: passthrough relays the upstream's, translation writes its own (gateway/streamBack.ts). */
function stream(upstream: 'openai' | 'anthropic', chunks: readonly Buffer[], useLane = true): number {
  const parser = sse.parser()
  const t = createStreamTranslator(upstream, 'anthropic', { model: 'claude-x', createdAt: 1 })
  const translated = upstream !== 'anthropic'
  const lane = useLane ? t.lane : null
  const text = { text: '' }
  const read = (s: string, at: number) => (lane ? lane(s, at, text) : -1)
  const event = (e: SseEvent) => (text.text += sse.write(t.push(e)))
  let bytes = 0
  for (const chunk of chunks) {
    if (lane) {
      parser.pushLane(chunk, read, event)
      bytes += Buffer.from(text.text).length
      text.text = ''
      continue
    }
    const out = []
    for (const e of parser.push(chunk)) for (const x of t.push(e)) out.push(x)
    bytes += translated ? Buffer.from(sse.write(out)).length : chunk.length
  }
  const rest = [...parser.end().flatMap((e) => t.push(e)), ...t.end()]
  if (translated && rest.length) bytes += Buffer.from(sse.write(rest)).length
  if (t.usage() === null) throw new Error(`${upstream}: no usage read`)
  return bytes
}

function request(): number {
  const { body } = translateRequest(JSON.parse(askBody), 'anthropic', 'openai', { model: 'gpt-4o' })
  return Object.keys(body).length
}

function cpuUs(f: () => number, n: number): number {
  const a = process.cpuUsage()
  let sink = 0
  for (let i = 0; i < n; i++) sink += f()
  const d = process.cpuUsage(a)
  if (sink < 0) throw new Error('unreachable')
  return (d.user + d.system) / n
}

const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)] as number

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' } } })
const rounds = Number(values.rounds)
const pass = () => stream('anthropic', anthropicStream)
const trans = () => stream('openai', openaiStream)
const parsed = () => stream('openai', openaiStream, false)
if (trans() !== parsed()) throw new Error('the lane and the parsed path wrote different bytes')
let warm = 0
for (let i = 0; i < 20_000; i++) warm += pass() + trans() + parsed() + request() // JIT warm-up
if (warm < 0) throw new Error('unreachable')
const p: number[] = []
const t: number[] = []
const q: number[] = []
const e: number[] = []
for (let k = 0; k < rounds; k++) {
  if (k % 2) {
    e.push(cpuUs(parsed, 5000))
    t.push(cpuUs(trans, 5000))
    p.push(cpuUs(pass, 5000))
  } else {
    p.push(cpuUs(pass, 5000))
    t.push(cpuUs(trans, 5000))
    e.push(cpuUs(parsed, 5000))
  }
  q.push(cpuUs(request, 50_000))
}
console.log(`translation stages in one process, medians of ${rounds} rounds:`)
console.log(`  stream of 100 deltas, passthrough reading   ${median(p).toFixed(1)} µs`)
console.log(`  stream of 100 deltas, translated and written ${median(t).toFixed(1)} µs  (${(median(t) / median(p)).toFixed(2)}× passthrough; +${(median(t) - median(p)).toFixed(1)} µs)`)
console.log(`    every event parsed (the lane off)            ${median(e).toFixed(1)} µs  (${(median(e) / median(p)).toFixed(2)}× passthrough)`)
console.log(`  request translated, Anthropic → OpenAI chat  ${median(q).toFixed(2)} µs (JSON.parse of the body included)`)
