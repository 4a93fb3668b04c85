/** The key file store: born 0600, replaced atomically, and strict about who else can touch it. */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { keyFileStore } from '../../main/vault/keyFileStore.ts'

const dir = mkdtempSync(join(tmpdir(), 'switchyard-keyfile-'))
after(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const freshPath = (): string => join(dir, `nested-${++n}`, 'vault.key')
const posix = process.platform !== 'win32'
const mode = (path: string): number => statSync(path).mode & 0o777

describe('keyFileStore', () => {
  test('save, load, remove round trip; removing the last key removes the file', async () => {
    const path = freshPath()
    const store = keyFileStore(path)
    assert.equal(store.backend, 'keyfile')
    assert.equal(await store.load('data-key:a'), null)
    const a = randomBytes(32)
    const b = randomBytes(32)
    await store.save('data-key:a', a)
    await store.save('data-key:b', b)
    assert.deepEqual(await keyFileStore(path).load('data-key:a'), a)
    assert.deepEqual(await keyFileStore(path).load('data-key:b'), b)
    assert.equal(await store.remove('data-key:a'), true)
    assert.equal(await store.remove('data-key:a'), false)
    assert.equal(await store.load('data-key:a'), null)
    assert.equal(await store.remove('data-key:b'), true)
    assert.throws(() => statSync(path), { code: 'ENOENT' })
  })

  test('the file is created with mode 0600 even under umask 000, and no temp files are left', { skip: !posix && 'POSIX modes' }, async () => {
    const path = freshPath()
    const old = process.umask(0o000)
    try {
      await keyFileStore(path).save('data-key:x', randomBytes(32))
      await keyFileStore(path).save('data-key:y', randomBytes(32))
    } finally {
      process.umask(old)
    }
    assert.equal(mode(path), 0o600)
    assert.equal(mode(join(path, '..')), 0o700)
    assert.deepEqual(readdirSync(join(path, '..')), ['vault.key'])
  })

  test('a group/world-readable file is tightened to 0600 and reported', { skip: !posix && 'POSIX modes' }, async () => {
    const path = freshPath()
    const key = randomBytes(32)
    await keyFileStore(path).save('data-key:x', key)
    chmodSync(path, 0o644)
    const store = keyFileStore(path)
    assert.deepEqual(await store.load('data-key:x'), key)
    assert.equal(mode(path), 0o600)
    assert.equal(store.warnings.length, 1)
    assert.match(store.warnings[0] ?? '', /readable by other users \(mode 0644\).*rotating/)
  })

  for (const loose of [0o664, 0o646, 0o666]) {
    test(`a file writable by others (mode ${loose.toString(8)}) is refused`, { skip: !posix && 'POSIX modes' }, async () => {
      const path = freshPath()
      await keyFileStore(path).save('data-key:x', randomBytes(32))
      chmodSync(path, loose)
      await assert.rejects(keyFileStore(path).load('data-key:x'), { name: 'VaultError', code: 'keychain_unavailable', message: /writable by other users/ })
      await assert.rejects(keyFileStore(path).save('data-key:y', randomBytes(32)), { code: 'keychain_unavailable' })
      assert.equal(mode(path), loose, 'a refused file is left as it was')
    })
  }

  test('a mangled file or entry is wrong_key, a future format is unsupported_version', async () => {
    const path = freshPath()
    await keyFileStore(path).save('data-key:x', randomBytes(32))
    writeFileSync(path, '{ not json', { mode: 0o600 })
    await assert.rejects(keyFileStore(path).load('data-key:x'), { code: 'wrong_key' })
    writeFileSync(path, JSON.stringify({ version: 1, keys: { 'data-key:x': 'not base64!' } }))
    await assert.rejects(keyFileStore(path).load('data-key:x'), { code: 'wrong_key' })
    writeFileSync(path, JSON.stringify({ version: 2, keys: {} }))
    await assert.rejects(keyFileStore(path).load('data-key:x'), { code: 'unsupported_version' })
  })

  test('a directory in place of the file is refused', async () => {
    const path = freshPath()
    await keyFileStore(join(path, 'inner')).save('k', randomBytes(32))
    await assert.rejects(keyFileStore(path).load('k'), { code: 'keychain_unavailable', message: /not a regular file/ })
  })
})
