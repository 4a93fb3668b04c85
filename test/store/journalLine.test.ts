/** Journal lines: positional, read back whole; the older object lines and torn lines are handled. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { JOURNAL_FIELDS, journalLine, readJournalLine } from '../../main/store/journalLine.ts'
import type { NewUsage } from '../../main/store/UsageWriter.ts'

// Every field set, each to a value no other field has: a line written in another order than it is read fails.
const full: NewUsage = {
  createdAt: 1_765_000_000_001,
  workspaceId: 'ws_a',
  apiKeyId: 'key_b',
  providerSlug: 'up',
  model: 'gpt-4o',
  endpoint: '/v1/chat/completions',
  status: 429,
  stream: true,
  latencyMs: 12,
  ttfbMs: 3,
  inputTokens: 19,
  outputTokens: 10,
  cachedTokens: 4,
  costMicros: 300,
  metadata: { project: 'switchyard', 'a"b': 'line\nbreak é' },
  traceId: '01a2534f-7471-735c-ab35-938c1ef94541',
  error: 'rate limited',
  cacheWriteTokens: 5,
  reasoningTokens: 6,
  integrationId: 'int_c',
  providerId: 'prov_d',
  admitted: true,
  guardrails: [{ check: 'pii', stage: 'input', action: 'redact', count: 2, where: ['message'] }],
  usageSource: 'delivered',
  attempts: [{ target: '@up/gpt-4o', jsonPath: 'config.targets[0]', status: 429, retries: 1 }],
}

test('a row survives the line whole, every field in its place', () => {
  const line = journalLine(7, full)
  assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line')
  assert.deepEqual(readJournalLine(line.trim()), { seq: 7, row: full })
  assert.equal(JSON.parse(line).length, JOURNAL_FIELDS.length + 1, 'every field written')
  assert.deepEqual(new Set(JOURNAL_FIELDS).size, Object.keys(full).length, 'every field of a row is in the list')
})

test('absent optional fields come back null or false', () => {
  const { cacheWriteTokens, reasoningTokens, integrationId, providerId, admitted, guardrails, usageSource, attempts, ...base } = full
  const back = readJournalLine(journalLine(1, { ...base, stream: false }))?.row
  assert.deepEqual(back, { ...base, stream: false, cacheWriteTokens: null, reasoningTokens: null, integrationId: null, providerId: null, admitted: false, guardrails: null, usageSource: null, attempts: null })
})

test('lines of other shapes', () => {
  const cases: Array<[string, string, ReturnType<typeof readJournalLine>]> = [
    ['the earlier object format', `[3,${JSON.stringify(full)}]`, { seq: 3, row: full }],
    ['torn inside the row', journalLine(4, full).slice(0, 40), null],
    ['torn after the last value', journalLine(4, full).trim().slice(0, -1), null],
    ['not an array', '{"seq":1}', null],
    ['no sequence number', '["x",1]', null],
    ['a sequence number alone', '[5]', null],
  ]
  for (const [name, line, want] of cases) assert.deepEqual(readJournalLine(line), want, name)
})

test('a line written before the last fields existed reads them as null', () => {
  const older = JSON.parse(journalLine(9, full)).slice(0, 1 + JOURNAL_FIELDS.indexOf('guardrails'))
  const row = readJournalLine(JSON.stringify(older))?.row
  assert.equal(row?.traceId, full.traceId)
  assert.equal(row?.admitted, true)
  assert.equal(row?.guardrails, null)
  assert.equal(row?.attempts, null)
})
