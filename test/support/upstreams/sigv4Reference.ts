/**
 * An independent SigV4 for the tests: the fake Bedrock upstream checks signatures with it (so a
 * signer bug cannot verify itself), and it shows the canonical request text in its 403, as AWS does.
 * Production signs with AWS's own @smithy/signature-v4 (main/providers/aws/sigv4.ts).
 *
 * AWS Signature Version 4 for one HTTP request: the canonical request, the string to sign, the
 * derived key and the headers to add (`authorization`, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token`). Pure: no I/O, and no clock unless the caller leaves `date` out.
 * It must not send anything or read credentials; callers pass both in.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto'
import type { SigV4Headers, SigV4Options, SigV4Request } from '../../../main/providers/aws/sigv4.ts'

export type CanonicalRequest = {
  text: string
  /** `host;x-amz-date;…`: lowercase names, sorted, `;`-joined. */
  signedHeaders: string
  payloadHash: string
}

const ALGORITHM = 'AWS4-HMAC-SHA256'

/** Headers the AWS SDKs never sign: proxies and clients may change them in flight. */
const UNSIGNABLE = new Set([
  'authorization', 'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards',
  'pragma', 'referer', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
])

const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac('sha256', key).update(data).digest()

/** RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** `20150830T123600Z`. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/**
 * Every service but S3 signs the path encoded once more than it travels: a Bedrock model id
 * `…-v1:0` sent as `…-v1%3A0` is signed as `…-v1%253A0`. Empty segments are kept.
 */
function canonicalUri(pathname: string): string {
  if (pathname === '') return '/'
  return pathname.split('/').map(uriEncode).join('/')
}

/** Query pairs decoded, re-encoded strictly and sorted by key, then value. */
function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=')
      const key = eq === -1 ? p : p.slice(0, eq)
      const value = eq === -1 ? '' : p.slice(eq + 1)
      return [uriEncode(decodeComponent(key)), uriEncode(decodeComponent(value))] as const
    })
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

const trimAll = (value: string): string => value.trim().replace(/\s+/g, ' ')

/** The canonical request AWS recomputes server-side; exposed for tests and signature checks. */
function canonicalRequest(
  request: SigV4Request,
  extraHeaders: Record<string, string>,
  payloadHash: string,
): CanonicalRequest {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url
  const merged = new Map<string, string[]>([['host', [url.host]]])
  const add = (name: string, value: string | readonly string[], replace: boolean): void => {
    const key = name.toLowerCase()
    if (UNSIGNABLE.has(key)) return
    const values = typeof value === 'string' ? [value] : [...value]
    merged.set(key, [...(replace || key === 'host' ? [] : (merged.get(key) ?? [])), ...values])
  }
  for (const [name, value] of Object.entries(request.headers ?? {})) add(name, value, false)
  // The signer's own x-amz-* headers replace any the caller passed under the same name.
  for (const [name, value] of Object.entries(extraHeaders)) add(name, value, true)
  const names = [...merged.keys()].sort()
  const headerLines = names.map((n) => `${n}:${(merged.get(n) ?? []).map(trimAll).join(',')}\n`).join('')
  const signedHeaders = names.join(';')
  const text = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    headerLines,
    signedHeaders,
    payloadHash,
  ].join('\n')
  return { text, signedHeaders, payloadHash }
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), service), "aws4_request"). */
function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request')
}

/**
 * Signs one request. Returns only the headers to add; the caller sends exactly the method, URL,
 * headers and body it passed here, or AWS answers 403 InvalidSignatureException.
 */
function sign(request: SigV4Request, options: SigV4Options): SigV4Headers {
  const stamp = amzDate(options.date ?? new Date())
  const day = stamp.slice(0, 8)
  const payloadHash = sha256Hex(request.body ?? '')
  const toSign: Record<string, string> = { 'x-amz-date': stamp }
  if (options.addContentSha256 ?? true) toSign['x-amz-content-sha256'] = payloadHash
  if (options.credentials.sessionToken) toSign['x-amz-security-token'] = options.credentials.sessionToken
  const canonical = canonicalRequest(request, toSign, payloadHash)
  const scope = `${day}/${options.region}/${options.service}/aws4_request`
  const stringToSign = [ALGORITHM, stamp, scope, sha256Hex(canonical.text)].join('\n')
  const key = signingKey(options.credentials.secretAccessKey, day, options.region, options.service)
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex')
  const authorization =
    `${ALGORITHM} Credential=${options.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`
  return { authorization, ...toSign } as SigV4Headers
}

/** The module's surface as one name: `sigv4Reference.sign(request, options)`. */
export const sigv4Reference = { sign, canonicalRequest, signingKey, amzDate }
