// The admin token moves from the URL fragment to sessionStorage and leaves the address bar.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ADMIN_TOKEN_KEY, captureAdminToken, hasTokenFragment } from '../../renderer/lib/captureAdminToken.ts'

function host(hash: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored))
  const replaced: string[] = []
  return {
    replaced,
    storage,
    location: { hash, pathname: '/ui/', search: '' },
    history: { replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) },
    sessionStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    },
  }
}

test('takes the token from #token=, stores it and removes it from the URL', () => {
  const h = host('#token=s3cr3t')
  assert.equal(captureAdminToken(h), 's3cr3t')
  assert.equal(h.storage.get(ADMIN_TOKEN_KEY), 's3cr3t')
  assert.deepEqual(h.replaced, ['/ui/'])
})

test('keeps other fragment parameters', () => {
  const h = host('#token=abc&view=usage')
  assert.equal(captureAdminToken(h), 'abc')
  assert.deepEqual(h.replaced, ['/ui/#view=usage'])
})

test('after a reload the stored token is used and the URL is left alone', () => {
  const h = host('#/keys', { [ADMIN_TOKEN_KEY]: 'kept' })
  assert.equal(captureAdminToken(h), 'kept')
  assert.deepEqual(h.replaced, [])
})

test('no token anywhere gives null', () => {
  assert.equal(captureAdminToken(host('')), null)
})

test('hasTokenFragment spots an admin link pasted into an open tab', () => {
  assert.equal(hasTokenFragment('#token=abc'), true)
  assert.equal(hasTokenFragment('#/usage'), false)
  assert.equal(hasTokenFragment(''), false)
})
