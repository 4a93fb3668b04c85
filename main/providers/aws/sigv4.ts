/**
 * AWS Signature Version 4 for one HTTP request, by AWS's own signer (@smithy/signature-v4, the one
 * the AWS SDK for JavaScript v3 uses). This file only adapts a URL-and-headers request to it and
 * returns the headers to add (`authorization`, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token`). No I/O; no clock unless the caller leaves `date` out.
 */
import type { SignatureV4 } from '@smithy/signature-v4'

export type AwsCredentials = {
  accessKeyId: string
  secretAccessKey: string
  /** Temporary credentials (STS, SSO exports) carry a session token; it is signed as well. */
  sessionToken?: string
}

export type SigV4Request = {
  method: string
  /** The URL exactly as it will be sent: the signer encodes its path once more, as every service but S3 expects. */
  url: string | URL
  /** Headers to sign besides `host`; a list value stands for a repeated header. */
  headers?: Record<string, string | readonly string[]>
  body?: Uint8Array | string
}

export type SigV4Options = {
  region: string
  /** `bedrock` for Bedrock Runtime (the signing name, not the `bedrock-runtime` host prefix). */
  service: string
  credentials: AwsCredentials
  date?: Date
  /** Adds and signs `x-amz-content-sha256` (default true, as the SDK does); AWS's generic test suite signs without it. */
  addContentSha256?: boolean
}

export type SigV4Headers = {
  authorization: string
  'x-amz-date': string
  'x-amz-content-sha256'?: string
  'x-amz-security-token'?: string
}

type Signer = { SignatureV4: typeof SignatureV4; Sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'] }
let signer: Promise<Signer> | undefined

/** Loaded on the first Bedrock call, not at start: the signer brings ~140 KB of Smithy runtime. */
function loadSigner(): Promise<Signer> {
  signer ??= Promise.all([import('@smithy/signature-v4'), import('@smithy/hash-node')]).then(([v4, hash]) => ({
    SignatureV4: v4.SignatureV4,
    Sha256: hash.Hash.bind(null, 'sha256') as unknown as Signer['Sha256'],
  }))
  return signer
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The signer wants the query decoded, repeated keys as lists ('+' stays '+': AWS signs it as sent). */
function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq))
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1))
    const seen = query[key]
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  return query
}

/**
 * Signs one request. Returns only the headers to add; the caller sends exactly the method, URL,
 * headers and body it passed here, or AWS answers 403 InvalidSignatureException.
 */
async function sign(request: SigV4Request, options: SigV4Options): Promise<SigV4Headers> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(',')
  headers.host = url.host
  const { SignatureV4, Sha256 } = await loadSigner()
  const v4 = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Sha256,
    applyChecksum: options.addContentSha256 ?? true,
  })
  const signed = await v4.sign(
    { method: request.method.toUpperCase(), protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query: queryOf(url.search), headers, body: request.body },
    { signingDate: options.date ?? new Date() },
  )
  const out: Record<string, string> = { authorization: String(signed.headers.authorization), 'x-amz-date': String(signed.headers['x-amz-date']) }
  for (const name of ['x-amz-content-sha256', 'x-amz-security-token']) if (signed.headers[name] !== undefined) out[name] = String(signed.headers[name])
  return out as SigV4Headers
}

/** `20150830T123600Z`. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** The module's surface as one name, as callers use it: `await sigv4.sign(request, options)`. */
export const sigv4 = { sign, amzDate }
