/**
 * What a client that left mid-stream was sent, in tokens: the stream's bytes are kept (references,
 * no copies) and only counted if the client goes away, so a finished stream pays nothing for it.
 * The text of each event (deltas of content, reasoning, tool arguments, in any caller dialect) is
 * counted with o200k_base (gpt-tokenizer); an estimate, and the usage row says so. The tokenizer
 * (~19 MB resident for as long as the process lives) loads in the background when a client first
 * leaves mid-stream, not with the first stream: most processes never need it. Until it has loaded
 * (that first departure included) the text is charged at 4 characters a token, OpenAI's rule.
 */
import { sse } from '../dialects/sse.ts'
import { countInPieces } from '../dialects/countInPieces.ts'

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base')
const special = { disallowedSpecial: new Set<string>() }
let tokenizer: Tokenizer | null = null
let loading = false

function loadTokenizer(): void {
  if (loading) return
  loading = true
  import('gpt-tokenizer/encoding/o200k_base').then((t) => void (tokenizer = t), () => void (loading = false))
}

export type DeliveredCounter = { push(chunk: Buffer): void; tokens(): number }

/** Bytes kept for counting; past this, the rest is counted at 4 bytes a token. */
const KEEP_BYTES = 8 * 1024 * 1024

/** Fields that carry generated text in OpenAI, Anthropic and Responses stream events. */
const textKeys = new Set(['content', 'text', 'delta', 'partial_json', 'arguments', 'thinking', 'refusal', 'reasoning_content'])

export function createDeliveredCounter(): DeliveredCounter {
  const chunks: Buffer[] = []
  let kept = 0
  let overflow = 0
  return {
    push(chunk) {
      if (kept + chunk.length <= KEEP_BYTES) {
        chunks.push(chunk)
        kept += chunk.length
      } else overflow += chunk.length
    },
    tokens() {
      const texts: string[] = []
      for (const e of sse.parser().push(Buffer.concat(chunks))) {
        // `*.done` and whole-response events repeat text already sent as deltas.
        if (e.event?.endsWith('.done') || e.event?.startsWith('response.') && !e.event.endsWith('.delta')) continue
        try {
          collect(JSON.parse(e.data), texts, 0)
        } catch {
          // `[DONE]` and other non-JSON data carry no text
        }
      }
      const text = texts.join('')
      if (!tokenizer) loadTokenizer()
      const counted = !text ? 0 : tokenizer ? countInPieces(text, (piece) => (tokenizer as Tokenizer).countTokens(piece, special)) : Math.ceil(text.length / 4)
      return counted + Math.ceil(overflow / 4)
    },
  }
}

function collect(v: unknown, into: string[], depth: number): void {
  if (depth > 32 || v === null || typeof v !== 'object') return
  if (Array.isArray(v)) {
    for (const x of v) collect(x, into, depth + 1)
    return
  }
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') {
      if (textKeys.has(k)) into.push(x)
    } else collect(x, into, depth + 1)
  }
}
