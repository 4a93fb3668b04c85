/**
 * Memory goes back once the process has been busy and then idle for a whole check interval: one
 * memory-reducing GC, which shrinks the young generation V8 grew under the allocation; none while
 * busy, none when there was no work since the last one. The old generation's marking triggers are
 * flags this Node's V8 has (V8 ignores a flag it does not know, so a rename would silently bring
 * back the mark-compact storm the triggers prevent).
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mock, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import v8 from 'node:v8'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { markOldGenerationByFill, noteLargeBody, releaseMemoryWhenIdle } from '../../main/v8Memory.ts'

const youngMb = () => (v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 2 ** 20

/** ~`ms` of allocation-heavy work with survivors, which makes V8 grow its young generation. */
function churn(ms: number): void {
  let keep: object[] = []
  const until = performance.now() + ms
  for (let i = 0; performance.now() < until; i++) {
    keep.push({ i, s: `x${i}` })
    if (keep.length > 20_000) keep = []
  }
}

test('busy, then idle: one release, and the young generation shrinks back', async () => {
  const idle = releaseMemoryWhenIdle({ checkMs: 100, busyMs: 50 })
  try {
    for (let i = 0; i < 4; i++) {
      churn(90) // busy intervals: no release while working
      await sleep(5)
    }
    assert.equal(idle.releases(), 0)
    const grown = youngMb()
    assert.ok(grown > 2, `young generation grew (${grown} MB)`)
    await sleep(450)
    assert.equal(idle.releases(), 1)
    assert.ok(youngMb() < grown, `${youngMb()} < ${grown} MB`)
    await sleep(300)
    assert.equal(idle.releases(), 1, 'no work since: no second release')
  } finally {
    idle.stop()
  }
})

test('large request bodies: one young-generation GC per 8 MB of them, none before', async () => {
  const kinds: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) kinds.push((e as PerformanceEntry & { detail: { kind: number } }).detail.kind)
  })
  observer.observe({ entryTypes: ['gc'] })
  try {
    for (let i = 0; i < 7; i++) noteLargeBody(1024 * 1024) // 7 MB: below the mark
    await sleep(20)
    assert.equal(kinds.filter((k) => k === constants.NODE_PERFORMANCE_GC_MINOR).length, 0)
    noteLargeBody(1024 * 1024)
    await sleep(20)
    assert.ok(kinds.filter((k) => k === constants.NODE_PERFORMANCE_GC_MINOR).length >= 1)
  } finally {
    observer.disconnect()
  }
})

test('old-generation marking by fill: both percentage triggers, each a flag of this V8', () => {
  const set = mock.method(v8, 'setFlagsFromString', () => undefined) // recorded, not applied: the other tests keep V8's defaults
  try {
    markOldGenerationByFill()
  } finally {
    set.mock.restore()
  }
  const flags = set.mock.calls.map((c) => String(c.arguments[0]))
  assert.deepEqual(flags, ['--incremental-marking-soft-trigger=80', '--incremental-marking-hard-trigger=95'])
  const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' })
  for (const f of flags) {
    const name = f.slice(0, f.indexOf('='))
    assert.match(known, new RegExp(`^\\s*${name} \\(threshold for starting incremental marking[^)]*percent`, 'm'), `${name} in node --v8-options`)
  }
})
