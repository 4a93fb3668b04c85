/**
 * Google access tokens: the JWT a service account signs (checked field by field and against its
 * public key), the refresh-token grant, caching until shortly before expiry, one shared in-flight
 * exchange, ADC file discovery, and the real round trip through the Vertex fake's token endpoint.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync, verify } from 'node:crypto'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { GoogleAuthError } from '../../main/providers/google/GoogleAuthError.ts'
import { CLOUD_PLATFORM_SCOPE, DEFAULT_TOKEN_URI, googleAuth } from '../../main/providers/google/googleAuth.ts'
import { startVertexUpstream } from '../support/upstreams/vertexUpstream.ts'
import type { VertexUpstream } from '../support/upstreams/vertexUpstream.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const KEY_FILE = {
  type: 'service_account',
  project_id: 'proj-1',
  private_key_id: 'kid-123',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  client_email: 'sa@proj-1.iam.gserviceaccount.com',
  client_id: '1234',
  token_uri: 'https://tokens.example/token',
}
const USER_FILE = { type: 'authorized_user', client_id: 'cid.apps.googleusercontent.com', client_secret: 'csecret', refresh_token: '1//rt', quota_project_id: 'billing-proj' }

type Seen = { url: string; form: URLSearchParams }

/** A token endpoint in a function: records each exchange, answers from `reply` (default: a fresh token). */
function fakeFetch(reply?: (n: number) => { status: number; body: unknown }, delayMs = 0) {
  const seen: Seen[] = []
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), form: new URLSearchParams(String(init?.body ?? '')) })
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
    const n = seen.length
    const { status, body } = reply?.(n) ?? { status: 200, body: { access_token: `ya29.token-${n}`, expires_in: 3599, token_type: 'Bearer' } }
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { fetchFn, seen }
}

const decode = (segment: string | undefined): Record<string, unknown> => JSON.parse(Buffer.from(segment ?? '', 'base64url').toString()) as Record<string, unknown>

describe('service account', () => {
  test('posts an RS256 JWT-bearer assertion with the documented claims to token_uri', async () => {
    const { fetchFn, seen } = fakeFetch()
    const nowMs = Date.UTC(2026, 0, 1, 12, 0, 0)
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn, now: () => nowMs })
    assert.equal(await source.accessToken(), 'ya29.token-1')
    assert.equal(source.projectId, 'proj-1')
    const [call] = seen
    assert.equal(call?.url, 'https://tokens.example/token')
    assert.equal(call?.form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer')
    const [h, c, s] = (call?.form.get('assertion') ?? '').split('.')
    assert.deepEqual(decode(h), { alg: 'RS256', typ: 'JWT', kid: 'kid-123' })
    const iat = nowMs / 1000
    assert.deepEqual(decode(c), { iss: KEY_FILE.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: 'https://tokens.example/token', iat, exp: iat + 3600 })
    assert.ok(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s ?? '', 'base64url')))
  })

  test('cached until 5 minutes before expiry, then refreshed', async () => {
    const { fetchFn, seen } = fakeFetch()
    let now = 1_000_000
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn, now: () => now })
    assert.equal(await source.accessToken(), 'ya29.token-1')
    now += 3599_000 - 5 * 60_000 - 1
    assert.equal(await source.accessToken(), 'ya29.token-1')
    now += 1
    assert.equal(await source.accessToken(), 'ya29.token-2')
    assert.equal(seen.length, 2)
  })

  test('a short-lived token is refreshed at half its lifetime', async () => {
    const { fetchFn } = fakeFetch((n) => ({ status: 200, body: { access_token: `t${n}`, expires_in: 60 } }))
    let now = 0
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn, now: () => now })
    assert.equal(await source.accessToken(), 't1')
    now = 29_999
    assert.equal(await source.accessToken(), 't1')
    now = 30_000
    assert.equal(await source.accessToken(), 't2')
  })

  test('concurrent callers share one in-flight exchange', async () => {
    const { fetchFn, seen } = fakeFetch(undefined, 30)
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn })
    const tokens = await Promise.all(Array.from({ length: 8 }, () => source.accessToken()))
    assert.deepEqual(new Set(tokens), new Set(['ya29.token-1']))
    assert.equal(seen.length, 1)
  })

  test('a refused exchange rejects every waiting caller, and the next call tries again', async () => {
    const { fetchFn, seen } = fakeFetch((n) => (n === 1 ? { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } } : { status: 200, body: { access_token: 'ok', expires_in: 3599 } }), 10)
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn })
    const results = await Promise.allSettled([source.accessToken(), source.accessToken()])
    for (const r of results) {
      assert.equal(r.status, 'rejected')
      const e = (r as PromiseRejectedResult).reason as unknown
      assert.ok(e instanceof GoogleAuthError && e.code === 'token_rejected' && e.status === 400 && /invalid_grant \(Invalid JWT Signature\.\)/.test(e.message))
    }
    assert.equal(await source.accessToken(), 'ok')
    assert.equal(seen.length, 2)
  })

  test('invalidate() forces a new token', async () => {
    const { fetchFn } = fakeFetch()
    const source = googleAuth.fromJson(KEY_FILE, { fetch: fetchFn })
    assert.equal(await source.accessToken(), 'ya29.token-1')
    source.invalidate()
    assert.equal(await source.accessToken(), 'ya29.token-2')
  })

  test('an unreachable endpoint and a reply without access_token have their own codes', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof fetch
    await assert.rejects(googleAuth.fromJson(KEY_FILE, { fetch: down }).accessToken(), (e: unknown) => e instanceof GoogleAuthError && e.code === 'token_endpoint_unreachable')
    const { fetchFn } = fakeFetch(() => ({ status: 200, body: { token_type: 'Bearer' } }))
    await assert.rejects(googleAuth.fromJson(KEY_FILE, { fetch: fetchFn }).accessToken(), (e: unknown) => e instanceof GoogleAuthError && e.code === 'bad_token_response')
  })
})

describe('authorized_user', () => {
  test('refresh_token grant to the default endpoint when the file names none', async () => {
    const { fetchFn, seen } = fakeFetch()
    const source = googleAuth.fromJson(USER_FILE, { fetch: fetchFn })
    assert.equal(await source.accessToken(), 'ya29.token-1')
    assert.equal(source.quotaProjectId, 'billing-proj')
    assert.equal(seen[0]?.url, DEFAULT_TOKEN_URI)
    assert.deepEqual(Object.fromEntries(seen[0]?.form ?? []), { grant_type: 'refresh_token', client_id: USER_FILE.client_id, client_secret: 'csecret', refresh_token: '1//rt' })
  })
})

describe('credential files', () => {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-gcloud-'))
  mkdirSync(join(home, '.config', 'gcloud'), { recursive: true })
  writeFileSync(join(home, '.config', 'gcloud', 'application_default_credentials.json'), JSON.stringify(USER_FILE))
  writeFileSync(join(home, 'key.json'), JSON.stringify(KEY_FILE))
  writeFileSync(join(home, 'external.json'), JSON.stringify({ type: 'external_account', audience: '//iam.googleapis.com/x' }))
  writeFileSync(join(home, 'broken.json'), '{not json')
  writeFileSync(join(home, 'partial.json'), JSON.stringify({ type: 'service_account', client_email: 'x@y' }))
  mkdirSync(join(home, 'cloudsdk'))
  writeFileSync(join(home, 'cloudsdk', 'application_default_credentials.json'), JSON.stringify(KEY_FILE))

  const found: Array<[string, Record<string, string>, 'service_account' | 'authorized_user']> = [
    ['GOOGLE_APPLICATION_CREDENTIALS wins', { GOOGLE_APPLICATION_CREDENTIALS: join(home, 'key.json') }, 'service_account'],
    ["gcloud's well-known file", {}, 'authorized_user'],
    ['CLOUDSDK_CONFIG moves the well-known file', { CLOUDSDK_CONFIG: join(home, 'cloudsdk') }, 'service_account'],
  ]
  for (const [name, env, kind] of found) {
    test(`ADC: ${name}`, async () => {
      const source = await googleAuth.fromApplicationDefault({ env, homeDir: home })
      assert.equal(source.kind, kind)
    })
  }

  const refused: Array<[string, () => Promise<unknown>, string, RegExp]> = [
    ['no ADC at all', () => googleAuth.fromApplicationDefault({ env: {}, homeDir: join(home, 'nowhere') }), 'no_credentials', /gcloud auth application-default login/],
    ['a missing key file', () => googleAuth.fromFile(join(home, 'missing.json')), 'no_credentials', /does not exist/],
    ['an external_account file', () => googleAuth.fromFile(join(home, 'external.json')), 'unsupported_credentials', /"external_account"/],
    ['a file that is not JSON', () => googleAuth.fromFile(join(home, 'broken.json')), 'bad_credentials_file', /not valid JSON/],
    ['a key without private_key', () => googleAuth.fromFile(join(home, 'partial.json')), 'bad_credentials_file', /no "private_key"/],
  ]
  for (const [name, run, code, message] of refused) {
    test(`refuses ${name} (${code})`, async () => {
      await assert.rejects(run(), (e: unknown) => e instanceof GoogleAuthError && e.code === code && message.test(e.message))
    })
  }
})

describe('against the Vertex fake token endpoint', () => {
  let vertex: VertexUpstream
  before(async () => {
    vertex = await startVertexUpstream()
  })
  after(() => vertex.close())

  const generate = (token: string) =>
    fetch(`${vertex.url}/v1/projects/${vertex.projectId}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    })

  test('a service account key mints a token Vertex accepts', async () => {
    const source = googleAuth.fromJson(vertex.serviceAccount())
    const token = await source.accessToken()
    assert.match(token, /^ya29\./)
    assert.equal((await generate(token)).status, 200)
  })

  test('authorized_user ADC refreshes into a token Vertex accepts', async () => {
    const source = googleAuth.fromJson(vertex.authorizedUser('quota-proj'))
    assert.equal((await generate(await source.accessToken())).status, 200)
  })

  test('a key the endpoint does not know signs in vain: Invalid JWT Signature', async () => {
    const forged = { ...vertex.serviceAccount(), private_key: KEY_FILE.private_key }
    await assert.rejects(googleAuth.fromJson(forged).accessToken(), (e: unknown) => e instanceof GoogleAuthError && e.code === 'token_rejected' && /Invalid JWT Signature/.test(e.message))
  })

  test('a wrong client secret is invalid_client; a made-up token is 401 at Vertex', async () => {
    const user = { ...vertex.authorizedUser(), client_secret: 'nope' }
    await assert.rejects(googleAuth.fromJson(user).accessToken(), (e: unknown) => e instanceof GoogleAuthError && e.status === 401 && /invalid_client/.test(e.message))
    assert.equal((await generate('ya29.made-up')).status, 401)
  })
})
