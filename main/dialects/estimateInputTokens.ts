/**
 * A quick input-token estimate for a request body, for the places that must name a count before the
 * upstream has reported one (an Anthropic `message_start` made by translation). OpenAI's rule of
 * thumb, four characters a token, over the text the request carries (its string values, `model`
 * excluded), so JSON punctuation and key names do not inflate it. O(size), no tokenizer.
 */
export function estimateInputTokens(body: unknown): number {
  let chars = 0
  const visit = (v: unknown, key: string | null): void => {
    if (typeof v === 'string') {
      if (key !== 'model') chars += v.length
    } else if (Array.isArray(v)) {
      for (const item of v) visit(item, null)
    } else if (v && typeof v === 'object') {
      for (const k in v) visit((v as Record<string, unknown>)[k], k)
    }
  }
  visit(body, null)
  return Math.max(1, Math.ceil(chars / 4))
}
