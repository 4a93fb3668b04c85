/** What a vault reset drops from a config and how it describes itself: tables. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeVaultReset } from '../../main/resetVault.ts'
import { dropVaultKeys } from '../../main/routing/config/configSecrets.ts'

test('dropVaultKeys removes only api_key members that refer to the vault, at any depth, table', () => {
  const ref = 'vault:cfgkey_abcDEF123_-#wxyz'
  const rows: Array<{ config: unknown; out: unknown; dropped: number }> = [
    { config: { targets: [{ provider: 'openai', api_key: ref }] }, out: { targets: [{ provider: 'openai' }] }, dropped: 1 },
    { config: { targets: [{ targets: [{ api_key: ref, weight: 1 }] }, { api_key: ref }] }, out: { targets: [{ targets: [{ weight: 1 }] }, {}] }, dropped: 2 },
    // A key saved before keys went to the vault, and strings that only look like references, stay.
    { config: { targets: [{ api_key: 'sk-plain-1234' }] }, out: { targets: [{ api_key: 'sk-plain-1234' }] }, dropped: 0 },
    { config: { targets: [{ api_key: 'vault:other_x#abcd', note: ref }] }, out: { targets: [{ api_key: 'vault:other_x#abcd', note: ref }] }, dropped: 0 },
    { config: { retry: { attempts: 2 } }, out: { retry: { attempts: 2 } }, dropped: 0 },
  ]
  for (const r of rows) {
    const before = JSON.stringify(r.config)
    const got = dropVaultKeys(r.config)
    assert.deepEqual(got.config, r.out, before)
    assert.equal(got.dropped, r.dropped, before)
    assert.equal(JSON.stringify(r.config), before, 'the input is not changed')
    if (r.dropped === 0) assert.equal(got.config, r.config, 'nothing dropped: the same object')
  }
})

test('describeVaultReset, before and after, table', () => {
  const rows: Array<{ i: Parameters<typeof describeVaultReset>[0]; ahead: RegExp; done: RegExp }> = [
    {
      i: { secrets: 1, integrations: ['openai'], configs: [] },
      ahead: /^Starting a new vault deletes the 1 stored secret that cannot be decrypted; the API keys of integration 'openai' must then be entered again\. Usage logs/,
      done: /^A new vault was started and the 1 stored secret that could not be decrypted was deleted; the API keys of integration 'openai' must be entered again\.$/,
    },
    {
      i: { secrets: 4, integrations: ['a', 'b'], configs: ['c', 'd'] },
      ahead: /deletes the 4 stored secrets .*integrations 'a', 'b' and configs 'c', 'd' must then be entered again/,
      done: /the 4 stored secrets that could not be decrypted were deleted; the API keys of integrations 'a', 'b' and configs 'c', 'd' must be entered again\.$/,
    },
    // Secrets no integration or config refers to (left by a deleted one): nothing to enter again.
    { i: { secrets: 2, integrations: [], configs: [] }, ahead: /deletes the 2 stored secrets that cannot be decrypted\. Usage logs/, done: /were deleted\.$/ },
  ]
  for (const r of rows) {
    assert.match(describeVaultReset(r.i, 'ahead'), r.ahead)
    assert.match(describeVaultReset(r.i, 'done'), r.done)
  }
})
