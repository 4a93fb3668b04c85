/**
 * SigV4 against AWS's own published vectors.
 * - The AWS signing test suite, as shipped by AWS in awslabs/aws-c-auth
 *   (tests/aws-signing-test-suite/v4/<case>/{context.json,request.txt,header-canonical-request.txt,
 *   header-signed-request.txt}; originally https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
 *   Every case: AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, service "service",
 *   2015-08-30T12:36:00Z, `sign_body: false` unless noted (no x-amz-content-sha256 header).
 * - The IAM ListUsers walk-through of the AWS General Reference ("Create a signed AWS API request"),
 *   which also publishes the derived signing key and the canonical request hash.
 * The signer is AWS's @smithy/signature-v4 behind main/providers/aws/sigv4.ts; canonical-request
 * checks go through the tests' independent reference (test/support/upstreams/sigv4Reference.ts),
 * and the two must produce the same signature.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { sigv4 } from '../../main/providers/aws/sigv4.ts'
import type { SigV4Request } from '../../main/providers/aws/sigv4.ts'
import { sigv4Reference } from '../support/upstreams/sigv4Reference.ts'

const suite = {
  region: 'us-east-1',
  service: 'service',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  date: new Date('2015-08-30T12:36:00Z'),
}
const scope = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request'
const base = 'https://example.amazonaws.com'

type Vector = [name: string, request: SigV4Request, signedHeaders: string, signature: string, options?: { sessionToken?: string; signBody?: boolean }]

// [suite case, request as sent, SignedHeaders, Signature] copied from header-signed-request.txt.
const vectors: Vector[] = [
  ['get-vanilla', { method: 'GET', url: `${base}/` }, 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['post-vanilla', { method: 'POST', url: `${base}/` }, 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ['post-vanilla-query', { method: 'POST', url: `${base}/?Param1=value1` }, 'host;x-amz-date', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
  ['get-vanilla-query-order-key-case', { method: 'GET', url: `${base}/?Param2=value2&Param1=value1` }, 'host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ['get-vanilla-query-order-encoded', { method: 'GET', url: `${base}/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1` }, 'host;x-amz-date', '371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac'],
  ['get-vanilla-query-unreserved', { method: 'GET', url: `${base}/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz` }, 'host;x-amz-date', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'],
  ['get-vanilla-utf8-query', { method: 'GET', url: `${base}/?ሴ=bar` }, 'host;x-amz-date', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'],
  ['get-unreserved', { method: 'GET', url: `${base}/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz` }, 'host;x-amz-date', '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'],
  // AWS's JS signer normalizes the path (empty segments dropped), so the `normalize: true` case.
  ['get-slashes-normalized', { method: 'GET', url: `${base}//example//` }, 'host;x-amz-date', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84'],
  ['get-header-value-trim', { method: 'GET', url: `${base}/`, headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' } }, 'host;my-header1;my-header2;x-amz-date', 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736'],
  ['get-header-value-multiline', { method: 'GET', url: `${base}/`, headers: { 'My-Header1': 'value1\n  value2\n     value3' } }, 'host;my-header1;x-amz-date', 'cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd'],
  ['get-header-value-order', { method: 'GET', url: `${base}/`, headers: { 'My-Header1': ['value4', 'value1', 'value3', 'value2'] } }, 'host;my-header1;x-amz-date', '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01'],
  ['get-header-key-duplicate', { method: 'GET', url: `${base}/`, headers: { 'My-Header1': ['value2', 'value2', 'value1'] } }, 'host;my-header1;x-amz-date', 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'],
  ['post-header-key-sort', { method: 'POST', url: `${base}/`, headers: { 'My-Header1': 'value1' } }, 'host;my-header1;x-amz-date', 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c'],
  ['post-header-value-case', { method: 'POST', url: `${base}/`, headers: { 'My-Header1': 'VALUE1' } }, 'host;my-header1;x-amz-date', 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d'],
  ['get-vanilla-with-session-token', { method: 'GET', url: `${base}/` }, 'host;x-amz-date;x-amz-security-token', '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8', { sessionToken: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' }],
  // sign_body: true, so the suite adds x-amz-content-sha256 like our default does.
  ['post-x-www-form-urlencoded', { method: 'POST', url: `${base}/`, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '13' }, body: 'Param1=value1' }, 'content-length;content-type;host;x-amz-content-sha256;x-amz-date', 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b', { signBody: true }],
  ['post-x-www-form-urlencoded-parameters', { method: 'POST', url: `${base}/`, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', 'Content-Length': '13' }, body: 'Param1=value1' }, 'content-length;content-type;host;x-amz-content-sha256;x-amz-date', '328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422', { signBody: true }],
]
// Not included: get-utf8 and get-space-*: their request line carries a raw "ሴ" or space, which a URL
// percent-encodes before sending; the signer signs the path as it travels (see the Bedrock case below).

for (const [name, request, signedHeaders, signature, extra] of vectors) {
  test(`AWS suite ${name}`, async () => {
    const credentials = extra?.sessionToken ? { ...suite.credentials, sessionToken: extra.sessionToken } : suite.credentials
    const headers = await sigv4.sign(request, { ...suite, credentials, addContentSha256: extra?.signBody ?? false })
    assert.equal(headers.authorization, `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`)
    assert.equal(headers['x-amz-date'], '20150830T123600Z')
    assert.equal(headers['x-amz-security-token'], extra?.sessionToken)
  })
}

test('AWS suite get-header-value-trim: canonical request text', () => {
  // header-canonical-request.txt of that case.
  const expected = 'GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:"a b c"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  const empty = createHash('sha256').update('').digest('hex')
  const canonical = sigv4Reference.canonicalRequest({ method: 'GET', url: `${base}/`, headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' } }, { 'x-amz-date': '20150830T123600Z' }, empty)
  assert.equal(canonical.text, expected)
})

test('AWS General Reference IAM ListUsers example: canonical hash, signing key and signature', async () => {
  const request = { method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } }
  const empty = createHash('sha256').update('').digest('hex')
  const canonical = sigv4Reference.canonicalRequest(request, { 'x-amz-date': '20150830T123600Z' }, empty)
  assert.equal(createHash('sha256').update(canonical.text).digest('hex'), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59')
  assert.equal(sigv4Reference.signingKey(suite.credentials.secretAccessKey, '20150830', 'us-east-1', 'iam').toString('hex'), 'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9')
  const headers = await sigv4.sign(request, { ...suite, service: 'iam', addContentSha256: false })
  assert.match(headers.authorization, /SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7$/)
})

const bedrockCases: Array<[string, string, string]> = [
  // Non-S3 services sign the path URI-encoded once more than sent (Smithy signature-v4 `uriEscapePath`,
  // and https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html "each path segment
  // URI-encoded twice"). The JS SDK sends Bedrock model ids with ':' as %3A.
  ['encoded model id', '/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke', '/model/anthropic.claude-3-haiku-20240307-v1%253A0/invoke'],
  ['raw model id', '/model/anthropic.claude-3-haiku-20240307-v1:0/invoke', '/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke'],
  ['inference profile ARN', '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse', '/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%252Fus.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse'],
]

for (const [name, path, canonicalPath] of bedrockCases) {
  test(`Bedrock canonical path: ${name}`, async () => {
    const url = `https://bedrock-runtime.us-east-1.amazonaws.com${path}`
    const canonical = sigv4Reference.canonicalRequest({ method: 'POST', url }, {}, 'x')
    assert.equal(canonical.text.split('\n')[1], canonicalPath)
    const options = { region: 'us-east-1', service: 'bedrock', credentials: suite.credentials, date: suite.date }
    assert.equal((await sigv4.sign({ method: 'POST', url, body: '{}' }, options)).authorization, sigv4Reference.sign({ method: 'POST', url, body: '{}' }, options).authorization)
  })
}

test('defaults: x-amz-content-sha256 of the body is added and signed; session token signed', async () => {
  const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] })
  const headers = await sigv4.sign(
    { method: 'POST', url: 'https://bedrock-runtime.us-west-2.amazonaws.com/model/m/invoke', headers: { 'content-type': 'application/json', 'user-agent': 'x' }, body: new TextEncoder().encode(body) },
    { region: 'us-west-2', service: 'bedrock', credentials: { ...suite.credentials, sessionToken: 'tok' }, date: suite.date },
  )
  assert.equal(headers['x-amz-content-sha256'], createHash('sha256').update(body).digest('hex'))
  assert.equal(headers['x-amz-security-token'], 'tok')
  assert.match(headers.authorization, /Credential=AKIDEXAMPLE\/20150830\/us-west-2\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, /)
})

test('a string body and the same bytes sign alike; a different body does not', async () => {
  const opts = { ...suite, service: 'bedrock' }
  const a = await sigv4.sign({ method: 'POST', url: `${base}/x`, body: 'héllo' }, opts)
  const b = await sigv4.sign({ method: 'POST', url: `${base}/x`, body: Buffer.from('héllo') }, opts)
  const c = await sigv4.sign({ method: 'POST', url: `${base}/x`, body: 'hello' }, opts)
  assert.equal(a.authorization, b.authorization)
  assert.notEqual(a.authorization, c.authorization)
})

test('host includes a non-default port', async () => {
  const canonical = sigv4Reference.canonicalRequest({ method: 'GET', url: 'http://127.0.0.1:8123/' }, {}, 'x')
  assert.match(canonical.text, /\nhost:127\.0\.0\.1:8123\n/)
  const options = { ...suite, service: 'bedrock' }
  assert.equal((await sigv4.sign({ method: 'GET', url: 'http://127.0.0.1:8123/' }, options)).authorization, sigv4Reference.sign({ method: 'GET', url: 'http://127.0.0.1:8123/' }, options).authorization)
})
