/** Test helpers: run SSE text through the parser and a stream translator, cut into chunks in several ways. */
import type { DialectId } from '../../main/dialects/canonical.ts'
import type { ReplyOptions } from '../../main/dialects/dialect.ts'
import { sse } from '../../main/dialects/sse.ts'
import { createStreamTranslator } from '../../main/dialects/translate.ts'

/** Feeds `chunks` through sse.parser → translator and returns what the caller would receive. */
export function translateStream(chunks: readonly Uint8Array[], upstream: DialectId, caller: DialectId, o?: ReplyOptions): string {
  const parser = sse.parser()
  const translator = createStreamTranslator(upstream, caller, o)
  let out = ''
  for (const chunk of chunks) for (const e of parser.push(chunk)) out += sse.write(translator.push(e))
  for (const e of parser.end()) out += sse.write(translator.push(e))
  return out + sse.write(translator.end())
}

/**
 * As translateStream, the way the gateway reads a translated stream (gateway/streamBack.ts): each chunk
 * through SseParser.pushLane with the translator's text lane. Also returns how many events the lane read.
 */
export function translateStreamLane(chunks: readonly Uint8Array[], upstream: DialectId, caller: DialectId, o?: ReplyOptions): { out: string; lane: number } {
  const parser = sse.parser()
  const translator = createStreamTranslator(upstream, caller, o)
  const lane = translator.lane
  if (!lane) throw new Error(`no text lane from ${upstream} to ${caller}`)
  const text = { text: '' }
  let hits = 0
  let out = ''
  for (const chunk of chunks) {
    parser.pushLane(
      chunk,
      (s, at) => {
        const end = lane(s, at, text)
        if (end >= 0) hits++
        return end
      },
      (e) => (text.text += sse.write(translator.push(e))),
    )
    out += text.text
    text.text = ''
  }
  for (const e of parser.end()) out += sse.write(translator.push(e))
  return { out: out + sse.write(translator.end()), lane: hits }
}

/** A small deterministic PRNG (mulberry32) so random splits are the same on every run. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The ways a byte stream is cut in tests: whole, one byte at a time (every boundary), and random cuts. */
export function splits(bytes: Uint8Array, randomCuts = 20): { name: string; chunks: Uint8Array[] }[] {
  const out = [
    { name: 'whole', chunks: [bytes] },
    { name: 'byte by byte', chunks: Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)) },
  ]
  const next = random(bytes.length)
  for (let n = 0; n < randomCuts; n++) {
    const chunks: Uint8Array[] = []
    for (let i = 0; i < bytes.length; ) {
      const size = 1 + Math.floor(next() * 64)
      chunks.push(bytes.subarray(i, i + size))
      i += size
    }
    out.push({ name: `random cuts #${n}`, chunks })
  }
  return out
}
