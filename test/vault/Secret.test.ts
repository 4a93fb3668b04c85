/** Secret redacts itself everywhere it could leak by accident, and reveals only on request. */
import assert from 'node:assert/strict'
import { format, inspect } from 'node:util'
import { describe, test } from 'node:test'
import { Secret } from '../../main/vault/Secret.ts'

const value = 'sk-live-0123456789abcdef'
const secret = new Secret(value)

describe('Secret redaction', () => {
  const renderings: Array<[string, () => string]> = [
    ['JSON.stringify', () => JSON.stringify(secret)],
    ['JSON.stringify nested', () => JSON.stringify({ provider: 'openai', apiKey: secret, list: [secret] })],
    ['util.inspect', () => inspect(secret)],
    ['util.inspect nested, showHidden', () => inspect({ deep: { apiKey: secret } }, { showHidden: true, depth: 10 })],
    ['util.inspect without custom inspect', () => inspect(secret, { customInspect: false, showHidden: true })],
    ['util.format %s %o %O %j', () => format('%s %o %O %j', secret, secret, secret, secret)],
    ['template string', () => `key=${secret}`],
    ['String()', () => String(secret)],
    ['concatenation', () => 'key=' + secret],
    ['Object.entries', () => JSON.stringify(Object.entries(secret))],
    ['structuredClone', () => inspect(structuredClone(secret))],
    ['Error message', () => new Error(`failed with ${secret}`).message],
  ]
  for (const [name, render] of renderings) {
    test(name, () => {
      const out = render()
      assert.ok(!out.includes(value), `${name} leaked the value: ${out}`)
      assert.ok(!out.includes('0123456789'), `${name} leaked part of the value: ${out}`)
    })
  }

  test('says [redacted] where it is rendered', () => {
    assert.equal(JSON.stringify({ apiKey: secret }), '{"apiKey":"[redacted]"}')
    assert.equal(inspect(secret), '[redacted]')
    assert.equal(`${secret}`, '[redacted]')
  })
})

describe('Secret access', () => {
  test('reveal() returns the value', () => {
    assert.equal(secret.reveal(), value)
  })

  const hints: Array<[string, string]> = [
    [value, 'cdef'],
    ['12345678', '5678'],
    ['1234567', ''],
    ['', ''],
    ['sk-ключ-🔑🔑ab', '🔑🔑ab'],
  ]
  for (const [input, hint] of hints) {
    test(`hint of ${JSON.stringify(input)} is ${JSON.stringify(hint)}`, () => {
      assert.equal(new Secret(input).hint(), hint)
    })
  }
})
