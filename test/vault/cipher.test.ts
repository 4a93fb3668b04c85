/** Table tests for the AES-256-GCM envelope: round trips, and every way a stored envelope can go bad. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { open, seal } from '../../main/vault/cipher.ts'
import { VaultError } from '../../main/vault/VaultError.ts'

const key = randomBytes(32)
const otherKey = randomBytes(32)
const aad = 'secret:openai-main'

describe('cipher round trip', () => {
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['api key', 'sk-proj-0123456789abcdefghijklmnopqrstuvwxyz'],
    ['unicode', 'ключ 🔑 鍵'],
    ['large', 'x'.repeat(100_000)],
  ]
  for (const [name, plaintext] of cases) {
    test(name, () => {
      const envelope = seal(key, plaintext, aad)
      assert.equal(envelope[0], 0x01)
      assert.equal(envelope.length, 1 + 12 + 16 + Buffer.byteLength(plaintext))
      assert.equal(open(key, envelope, aad), plaintext)
    })
  }

  test('a fresh IV per seal', () => {
    const a = seal(key, 'same', aad)
    const b = seal(key, 'same', aad)
    assert.notDeepEqual(a.subarray(1, 13), b.subarray(1, 13))
    assert.notDeepEqual(a, b)
  })

  test('a key that is not 32 bytes is a programming error', () => {
    assert.throws(() => seal(randomBytes(16), 'x', aad), RangeError)
    assert.throws(() => open(randomBytes(31), seal(key, 'x', aad), aad), RangeError)
  })
})

describe('cipher rejects', () => {
  const plaintext = 'sk-ant-api03-TOPSECRET-value'
  const good = seal(key, plaintext, aad)
  const flip = (at: number): Buffer => {
    const copy = Buffer.from(good)
    copy[at] = (copy[at] ?? 0) ^ 0x01
    return copy
  }
  const cases: Array<{ name: string; run: () => string; code: VaultError['code'] }> = [
    { name: 'tampered IV', run: () => open(key, flip(1), aad), code: 'tampered' },
    { name: 'tampered tag', run: () => open(key, flip(13), aad), code: 'tampered' },
    { name: 'tampered ciphertext (first byte)', run: () => open(key, flip(29), aad), code: 'tampered' },
    { name: 'tampered ciphertext (last byte)', run: () => open(key, flip(good.length - 1), aad), code: 'tampered' },
    { name: 'truncated ciphertext', run: () => open(key, good.subarray(0, good.length - 1), aad), code: 'tampered' },
    { name: 'appended byte', run: () => open(key, Buffer.concat([good, Buffer.of(0)]), aad), code: 'tampered' },
    { name: 'shorter than the header', run: () => open(key, good.subarray(0, 20), aad), code: 'tampered' },
    { name: 'empty envelope', run: () => open(key, Buffer.alloc(0), aad), code: 'tampered' },
    { name: 'wrong key', run: () => open(otherKey, good, aad), code: 'tampered' },
    { name: 'wrong AAD (row swapped to another id)', run: () => open(key, good, 'secret:anthropic-main'), code: 'tampered' },
    { name: 'empty AAD', run: () => open(key, good, ''), code: 'tampered' },
    { name: 'unknown version 0x02', run: () => open(key, Buffer.concat([Buffer.of(0x02), good.subarray(1)]), aad), code: 'unsupported_version' },
    { name: 'unknown version 0x00', run: () => open(key, Buffer.concat([Buffer.of(0x00), good.subarray(1)]), aad), code: 'unsupported_version' },
  ]
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(c.run, (err: unknown) => {
        assert.ok(err instanceof VaultError, `expected VaultError, got ${String(err)}`)
        assert.equal(err.code, c.code)
        for (const leak of [plaintext, key.toString('hex'), key.toString('base64')]) {
          assert.ok(!err.message.includes(leak), 'error message leaks secret material')
        }
        return true
      })
    })
  }
})
