/**
 * Keeps the tables derived from `usage` (the hourly rollup, the metadata index and its rollup,
 * migrations 8 and 12) current: called inside the transaction that inserted usage rows, with the first and last id it
 * inserted. One statement each per batch instead of a trigger per row.
 */
import { META_INSERT, META_ROLLUP_UPSERT, ROLLUP_UPSERT } from './migrations/012_usage_meta.ts'
import type { Db } from './openDb.ts'

export function usageDerived(db: Db): (firstId: number, lastId: number) => void {
  const rollup = db.prepare<[{ first: number; last: number }]>(ROLLUP_UPSERT)
  const meta = db.prepare<[{ first: number; last: number }]>(META_INSERT)
  const metaRollup = db.prepare<[{ first: number; last: number }]>(META_ROLLUP_UPSERT)
  return (firstId, lastId) => {
    if (lastId < firstId) return
    rollup.run({ first: firstId, last: lastId })
    meta.run({ first: firstId, last: lastId })
    metaRollup.run({ first: firstId, last: lastId })
  }
}
