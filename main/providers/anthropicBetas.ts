/**
 * The `anthropic-beta` values a caller asked for (the comma-separated header, and `anthropic_beta` in the
 * body as Bedrock clients send it), split into those an upstream accepts and those it would refuse.
 * Claude on Bedrock and on Vertex AI answer 400 ("invalid beta flag", "Unexpected value(s) … for the
 * `anthropic-beta` header") to betas they do not know, and Claude Code sends several of those, so they
 * are dropped rather than passed blindly. Pure.
 */
export type BetaFilter = (beta: string) => boolean

export function anthropicBetas(header: string | undefined, body: unknown, accepts: BetaFilter): { kept: string[]; dropped: string[] } {
  const asked = [...(header ?? '').split(','), ...(Array.isArray(body) ? body.filter((b): b is string => typeof b === 'string') : [])]
  const kept: string[] = []
  const dropped: string[] = []
  for (const raw of asked) {
    const beta = raw.trim()
    if (!beta || kept.includes(beta) || dropped.includes(beta)) continue
    if (accepts(beta)) kept.push(beta)
    else dropped.push(beta)
  }
  return { kept, dropped }
}

/** A filter from the integration's own list when it has one, else the provider's default. */
export function betaFilter(configured: readonly string[] | undefined, fallback: BetaFilter): BetaFilter {
  return configured ? (beta) => configured.includes(beta) : fallback
}
