/**
 * The compact price table the build ships (main/limits/priceTable.ts) prices every model of the
 * catalog exactly as @pydantic/genai-prices itself does: every provider id and alias, every model
 * id (and its dated spelling), names the catalog does not know, and fallbacks to other providers.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { findProvider, waitForUpdate } from '@pydantic/genai-prices'
import { catalogVersion, lookupPrice, type FindProvider } from '../../main/limits/catalogPrice.ts'
import { compactCatalog, tableFinder, type PriceTable } from '../../main/limits/priceTable.ts'

const providers = (await waitForUpdate()) ?? []
// Through JSON, as the bundle reads it.
const table = JSON.parse(JSON.stringify(compactCatalog(providers, catalogVersion))) as PriceTable
const fromPackage: FindProvider = (id) => findProvider({ providerId: id })
const fromTable: FindProvider = tableFinder(table)

test('the catalog has data to compare', () => {
  assert.ok(providers.length > 20)
  assert.ok(providers.some((p) => p.fallback_model_providers?.length), 'some provider falls back to another')
})

test('every provider id and alias finds the same provider', () => {
  const ids = providers.flatMap((p) => [p.id, p.id.toUpperCase(), ` ${p.id} `, p.name, 'no-such-provider', 'litellm'])
  for (const id of ids) assert.equal(fromTable(id)?.id, fromPackage(id)?.id, id)
})

test('every model of every provider gets the same price from the table as from the package', () => {
  let priced = 0
  for (const p of providers) {
    const names = new Set<string>(['no-such-model-anywhere'])
    for (const m of p.models) {
      names.add(m.id)
      names.add(m.id.toUpperCase())
      names.add(`${m.id}-20250514`) // dated spelling: matched as -2025-05-14 where the catalog does
    }
    // Models only a fallback provider knows.
    for (const f of p.fallback_model_providers ?? []) for (const m of findProvider({ providerId: f })?.models ?? []) names.add(m.id)
    for (const name of names) {
      const want = lookupPrice(fromPackage, p.id, name)
      assert.deepEqual(lookupPrice(fromTable, p.id, name), want, `${p.id}/${name}`)
      if (want) priced++
    }
  }
  assert.ok(priced > 1000, `${priced} prices compared`)
})

test('the built table, when there is one, is this catalog compacted', () => {
  const file = join(import.meta.dirname, '..', '..', 'dist', 'chunks', 'genai-prices.json')
  if (!existsSync(file)) return void console.log('no build: nothing to compare')
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), table)
})
