/**
 * Model names clients send → Vertex AI model ids. Claude on Vertex is versioned with `@`
 * (`claude-sonnet-4-5@20250929`): Anthropic's dated names are rewritten by rule and its undated aliases
 * by table; Gemini names are Vertex's own. The integration's `modelMap` wins. Pure.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude (model versions)
 */

/** Anthropic's undated aliases → the Vertex id of the version they stand for. */
const claudeAliases: Readonly<Record<string, string>> = {
  'claude-opus-4-5': 'claude-opus-4-5@20251101',
  'claude-sonnet-4-5': 'claude-sonnet-4-5@20250929',
  'claude-haiku-4-5': 'claude-haiku-4-5@20251001',
  'claude-opus-4-1': 'claude-opus-4-1@20250805',
  'claude-opus-4-0': 'claude-opus-4@20250514',
  'claude-sonnet-4-0': 'claude-sonnet-4@20250514',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet@20250219',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku@20241022',
  'claude-3-5-sonnet-latest': 'claude-3-5-sonnet-v2@20241022',
  // Vertex names the October 2024 Sonnet "v2"; the rule below would miss it.
  'claude-3-5-sonnet-20241022': 'claude-3-5-sonnet-v2@20241022',
}

export const vertexClaudeAliases = Object.keys(claudeAliases).filter((n) => !/\d{8}$/.test(n))

export function vertexModelId(name: string, modelMap?: Readonly<Record<string, string>>): string {
  const mapped = modelMap?.[name]
  if (mapped) return mapped
  const alias = claudeAliases[name]
  if (alias) return alias
  const dated = /^(claude-[a-z0-9-]+)-(\d{8})$/.exec(name)
  return dated ? `${dated[1]}@${dated[2]}` : name
}

/** Claude (Anthropic's publisher, rawPredict) or not (Google's, generateContent). */
export function isClaudeOnVertex(name: string, modelMap?: Readonly<Record<string, string>>): boolean {
  return vertexModelId(name, modelMap).startsWith('claude')
}
