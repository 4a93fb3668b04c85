/** Every registered provider is complete data: a docs link, a usable base URL or a reason not to have one, integer prices. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chatEndpointOf } from '../../main/providers/provider.ts'
import { providerKinds } from '../../main/providers/registry.ts'

for (const spec of providerKinds.values()) {
  test(`${spec.id} is well-formed`, () => {
    assert.match(spec.docs, /^https:\/\//)
    if (spec.baseUrl !== null) assert.doesNotThrow(() => new URL(spec.baseUrl as string))
    else assert.ok(spec.target || spec.id === 'openai-compatible', 'no base URL needs a target function or user input')
    if (spec.category === 'self-hosted') assert.equal(spec.needsApiKey, false)
    assert.ok(spec.endpoints.includes(chatEndpointOf[spec.dialect]), 'serves conversations in its own dialect')
    for (const m of spec.knownModels) {
      for (const p of [m.inputPrice, m.outputPrice, m.cachedInputPrice]) if (p !== undefined) assert.ok(Number.isInteger(p) && p >= 0, `${m.id} price ${p}`)
    }
  })
}

test('self-hosted presets point at loopback', () => {
  for (const id of ['ollama', 'lmstudio', 'vllm', 'llamacpp']) {
    assert.match(providerKinds.get(id)?.baseUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/v1$/)
  }
})
