/**
 * One usage row as a line of the journal file (UsageWriter's `file` mode): a JSON array of the
 * sequence number and the row's values in the order of `JOURNAL_FIELDS`. Positional rather than an
 * object because the line is built on every call's critical path: without the 25 key names the
 * stringify takes half the time and the line half the bytes (bench/crashSafety.ts measures the
 * journal's added cost per call). The field list may only grow at its end: a line written before a
 * field existed reads back with that field null. Lines of the earlier format, `[seq, {row}]`, are
 * still read (a journal left by a crash of an older version).
 */
import type { NewUsage } from './UsageWriter.ts'

export const JOURNAL_FIELDS = [
  'createdAt', 'workspaceId', 'apiKeyId', 'providerSlug', 'model', 'endpoint', 'status', 'stream',
  'latencyMs', 'ttfbMs', 'inputTokens', 'outputTokens', 'cachedTokens', 'costMicros', 'metadata',
  'traceId', 'error', 'cacheWriteTokens', 'reasoningTokens', 'integrationId', 'providerId', 'admitted',
  'guardrails', 'usageSource', 'attempts',
] as const satisfies ReadonlyArray<keyof NewUsage>

/** The line for row number `seq`, newline included. */
export function journalLine(seq: number, r: NewUsage): string {
  // Spelled out rather than mapped over JOURNAL_FIELDS: this runs once per call (the test checks the order).
  return `${JSON.stringify([
    seq, r.createdAt, r.workspaceId, r.apiKeyId, r.providerSlug, r.model, r.endpoint, r.status, r.stream,
    r.latencyMs, r.ttfbMs, r.inputTokens, r.outputTokens, r.cachedTokens, r.costMicros, r.metadata,
    r.traceId, r.error, r.cacheWriteTokens ?? null, r.reasoningTokens ?? null, r.integrationId ?? null, r.providerId ?? null, r.admitted ?? false,
    r.guardrails ?? null, r.usageSource ?? null, r.attempts ?? null,
  ])}\n`
}

/** A line back to its sequence number and row; null for a line that is not one (the torn last line of a crash). */
export function readJournalLine(line: string): { seq: number; row: NewUsage } | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'number') return null
  const seq = parsed[0]
  if (parsed.length === 2 && typeof parsed[1] === 'object' && parsed[1] !== null) return { seq, row: parsed[1] as NewUsage }
  if (parsed.length < 2) return null
  const row: Record<string, unknown> = {}
  JOURNAL_FIELDS.forEach((field, i) => {
    row[field] = parsed[i + 1] ?? null
  })
  row.stream = row.stream === true
  row.admitted = row.admitted === true
  return { seq, row: row as NewUsage }
}
