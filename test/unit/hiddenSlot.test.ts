/** A hidden slot holds a value on an object that nothing copying, listing or serialising the object sees. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hiddenSlot } from '../../main/gateway/hiddenSlot.ts'

test('set, get, set again; objects without it read undefined; two slots are apart', () => {
  const a = hiddenSlot<number>()
  const b = hiddenSlot<string>()
  const o: Record<string, unknown> = { model: 'm' }
  assert.equal(a.get(o), undefined)
  a.set(o, 1)
  assert.equal(a.get(o), 1)
  a.set(o, 2)
  assert.equal(a.get(o), 2)
  assert.equal(b.get(o), undefined)
  b.set(o, 'x')
  assert.deepEqual([a.get(o), b.get(o)], [2, 'x'])
  assert.equal(a.get({ model: 'm' }), undefined)
  // Not inherited: an object made from one does not read its value.
  assert.equal(a.get(Object.create(o) as object), undefined)
})

test('invisible to spread, Object.keys, Object.assign, symbols, JSON.stringify and structuredClone', () => {
  const slot = hiddenSlot<{ secret: string }>()
  const o = { model: 'm', n: 1 }
  slot.set(o, { secret: 'kept' })
  assert.deepEqual(Object.keys(o), ['model', 'n'])
  assert.deepEqual(Reflect.ownKeys(o), ['model', 'n'])
  assert.deepEqual(Object.getOwnPropertySymbols(o), [])
  assert.equal(JSON.stringify(o), '{"model":"m","n":1}')
  for (const copy of [{ ...o }, Object.assign({}, o), structuredClone(o)]) {
    assert.deepEqual(copy, { model: 'm', n: 1 })
    assert.equal(slot.get(copy), undefined)
  }
  assert.deepEqual(slot.get(o), { secret: 'kept' })
})
