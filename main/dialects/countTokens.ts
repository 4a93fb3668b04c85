/**
 * Token estimate for a canonical request, for `count_tokens` on upstreams that have none and for limit
 * reservations: o200k_base (gpt-tokenizer) over the system prompt, messages and tool definitions, plus
 * small allowances per message, tool and image. It is an estimate and callers must label it so
 * (`estimated: true`): every model family has its own tokenizer. Pure; about 10 ms per 100 KB of text.
 */
import { countTokens as count } from 'gpt-tokenizer/encoding/o200k_base'
import type { ChatRequest, Part } from './canonical.ts'
import { countInPieces } from './countInPieces.ts'

/** Role markers and separators around each message (OpenAI's chat format uses 3–4). */
const perMessage = 4
/** Tool framing beyond its name, description and schema. */
const perTool = 8
/** An image of unknown size: Anthropic's figure for a full-size one ((w·h)/750 at ~1.15 MP). */
const perImage = 1600

/** Text is gathered into one string: one tokenizer call is much faster than one per part. */
export function countTokens(r: ChatRequest): number {
  const texts: string[] = []
  let fixed = 0
  const collect = (parts: readonly Part[]): void => {
    for (const p of parts) {
      if (p.type === 'text' || p.type === 'thinking') texts.push(p.text)
      else if (p.type === 'tool_call') texts.push(p.name, p.arguments)
      else if (p.type === 'tool_result') collect(p.content)
      else if (p.type === 'image') fixed += perImage
      else {
        // Blocks carried as-is (documents, server tool results) may hold megabytes of base64: not text.
        const json = JSON.stringify(p.value)
        if (json.length <= 20_000) texts.push(json)
        else fixed += Math.ceil(json.length / 4)
      }
    }
  }
  for (const p of r.system) texts.push(p.text)
  for (const m of r.messages) {
    fixed += perMessage
    collect(m.content)
  }
  for (const t of r.tools) {
    fixed += perTool
    if (t.type === 'function') texts.push(t.name, t.description ?? '', JSON.stringify(t.parameters))
    else texts.push(JSON.stringify(t.value))
  }
  // User text may contain special-token spellings (`<|endoftext|>`): count them as text, never throw.
  const special = { disallowedSpecial: new Set<string>() }
  return countInPieces(texts.join('\n'), (piece) => count(piece, special)) + fixed
}
