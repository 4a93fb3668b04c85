// CSV export: one line per bucket and group with figures, exact dollars, formula-safe cells.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UsageMetrics } from '../../preload/contract.ts'
import { microsToUsd, usageCsv } from '../../renderer/lib/usageCsv.ts'

const m = (over: Partial<UsageMetrics>): UsageMetrics => ({ requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, costMicros: 0, avgLatencyMs: null, latencyP50Ms: null, latencyP95Ms: null, ttfbP50Ms: null, ttfbP95Ms: null, ...over })

test('microsToUsd is exact', () => {
  assert.equal(microsToUsd(1_234_567), '1.234567')
  assert.equal(microsToUsd(5), '0.000005')
  assert.equal(microsToUsd(-1_500_000), '-1.500000')
})

test('grouped: one line per non-empty bucket and group; labels applied; formulas and quotes neutralised', () => {
  const csv = usageCsv(
    {
      bucketMs: 3_600_000,
      buckets: [0, 3_600_000],
      total: { key: 'total', totals: m({}), points: [m({}), m({})] },
      groups: [
        { key: 'ws_1', totals: m({}), points: [m({ requests: 4, errors: 1, costMicros: 2500, latencyP50Ms: 120 }), m({})] },
        { key: '=HYPERLINK("x")', totals: m({}), points: [m({}), m({ requests: 1 })] },
      ],
      source: 'rollup',
    },
    (k) => (k === 'ws_1' ? 'default' : k),
  )
  const lines = csv.trimEnd().split('\r\n')
  assert.equal(lines[0], 'bucket_start,group,requests,errors,error_rate,input_tokens,output_tokens,cached_tokens,cost_usd,latency_p50_ms,latency_p95_ms,ttfb_p50_ms,ttfb_p95_ms')
  assert.equal(lines[1], '1970-01-01T00:00:00.000Z,default,4,1,0.25,0,0,0,0.002500,120,,,')
  assert.equal(lines[2], `1970-01-01T01:00:00.000Z,"'=HYPERLINK(""x"")",1,0,0,0,0,0,0.000000,,,,`)
  assert.equal(lines.length, 3)
})
