// Server-side SigV4 check for the fake Bedrock: recomputes the signature of a recorded request with
// the signer under test and answers the way AWS's front door does when it does not match
// (403 with `x-amzn-ErrorType` InvalidSignatureException / UnrecognizedClientException / …).
// Limitation: the recorded body is parsed JSON, so the payload hash is taken over JSON.stringify of
// it; a client that sends non-canonical JSON (extra spaces) is refused here though AWS would accept it.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { AwsCredentials } from '../../../main/providers/aws/sigv4.ts'
import { sigv4Reference as sigv4 } from './sigv4Reference.ts'
import type { RecordedRequest } from './upstreamServer.ts'

export type AwsFailure = { status: number; errorType: string; message: string; coral?: 'service' | 'bedrock' }

export type SigV4CheckOptions = {
  region: string
  service: string
  credentials: AwsCredentials[]
  /** The server's clock; requests more than 15 minutes off are refused as AWS does. */
  now: () => Date
}

const SKEW_MS = 15 * 60_000
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/

const denied = (errorType: string, message: string): AwsFailure => ({ status: 403, errorType, message, coral: 'service' })

/** The body bytes the client signed, as far as the recorded request lets us know them. */
export function bodyBytes(body: unknown): string {
  if (body === undefined) return ''
  return typeof body === 'string' ? body : JSON.stringify(body)
}

function parseAmzDate(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp)
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined
}

/** undefined when the request is properly signed by one of the known credentials. */
export function checkSigV4(req: RecordedRequest, opts: SigV4CheckOptions): AwsFailure | undefined {
  const authorization = req.headers['authorization']
  if (!authorization) return denied('MissingAuthenticationTokenException', 'Missing Authentication Token')
  const m = AUTH.exec(authorization.trim())
  const stamp = req.headers['x-amz-date']
  if (!m || !stamp) {
    return denied('IncompleteSignatureException', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters and an 'X-Amz-Date' header. Authorization=${authorization.split(' ')[0] ?? ''}`)
  }
  const [, accessKeyId, day, region, service, signedHeaders = '', signature = ''] = m
  const credentials = opts.credentials.find((c) => c.accessKeyId === accessKeyId)
  const token = req.headers['x-amz-security-token']
  if (!credentials || (credentials.sessionToken ?? undefined) !== token) {
    return denied('UnrecognizedClientException', 'The security token included in the request is invalid.')
  }
  if (region !== opts.region) return denied('InvalidSignatureException', 'Credential should be scoped to a valid region. ')
  if (service !== opts.service) return denied('InvalidSignatureException', `Credential should be scoped to correct service: '${opts.service}'. `)
  const date = parseAmzDate(stamp)
  if (!date || day !== stamp.slice(0, 8)) return denied('InvalidSignatureException', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' + `'${day ?? ''}' != '${stamp.slice(0, 8)}', from '${stamp}'.`)
  const now = opts.now()
  const fmt = (d: Date): string => sigv4.amzDate(d)
  if (date.getTime() < now.getTime() - SKEW_MS) {
    return denied('InvalidSignatureException', `Signature expired: ${stamp} is now earlier than ${fmt(new Date(now.getTime() - SKEW_MS))} (${fmt(now)} - 15 min.)`)
  }
  if (date.getTime() > now.getTime() + SKEW_MS) {
    return denied('InvalidSignatureException', `Signature not yet current: ${stamp} is still later than ${fmt(new Date(now.getTime() + SKEW_MS))} (${fmt(now)} + 15 min.)`)
  }
  const names = signedHeaders.split(';')
  if (!names.includes('host')) return denied('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
  const automatic = new Set(['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'])
  const headers: Record<string, string> = {}
  for (const name of names) if (!automatic.has(name)) headers[name] = req.headers[name] ?? ''
  const host = req.headers['host'] ?? ''
  const body = bodyBytes(req.body)
  const expected = sigv4.sign(
    { method: req.method, url: `http://${host}${req.path}`, headers, body },
    { region, service, credentials, date, addContentSha256: names.includes('x-amz-content-sha256') },
  )
  const contentSha = req.headers['x-amz-content-sha256']
  const payloadHash = createHash('sha256').update(body).digest('hex')
  const got = Buffer.from(`${signedHeaders} ${signature}`)
  const want = Buffer.from(/SignedHeaders=(\S+), Signature=(\S+)$/.exec(expected.authorization)?.slice(1).join(' ') ?? '')
  if ((contentSha !== undefined && contentSha !== payloadHash) || got.length !== want.length || !timingSafeEqual(got, want)) {
    const canonical = sigv4.canonicalRequest({ method: req.method, url: `http://${host}${req.path}`, headers }, pickAutomatic(req, names), payloadHash)
    return denied(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. ' +
        `Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical.text}'\n`,
    )
  }
  return undefined
}

function pickAutomatic(req: RecordedRequest, names: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']) {
    const value = req.headers[name]
    if (names.includes(name) && value !== undefined) out[name] = value
  }
  return out
}
