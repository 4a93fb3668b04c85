/**
 * Runs a BPE token counter over text in pieces of at most `PIECE` characters, cut just before a
 * space where one is near. gpt-tokenizer's BPE is quadratic in the length of one pre-token, so a
 * long run without boundaries (80,000 × "x": 17 s) would let one request stall the event loop;
 * pieces bound that to a constant per piece. Cutting before a space keeps the space with the word
 * that follows it, as o200k's pre-tokenizer does, so the count moves by a token or so per cut at most.
 */
const PIECE = 2048
/** How far back from a piece's end a space is looked for. */
const LOOK_BACK = 256

export function countInPieces(text: string, count: (piece: string) => number): number {
  if (text.length <= PIECE) return count(text)
  let total = 0
  let start = 0
  while (start < text.length) {
    let end = Math.min(start + PIECE, text.length)
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end)
      if (space > start && space > end - LOOK_BACK) end = space
    }
    total += count(text.slice(start, end))
    start = end
  }
  return total
}
