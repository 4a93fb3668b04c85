// A fake Google OAuth token endpoint (`POST /token` on the Vertex fake): the JWT-bearer grant, whose
// RS256 assertion is verified against the service account's public key, and the refresh_token grant
// of authorized_user credentials; errors in Google's `{"error","error_description"}` shape. It also
// mints matching credential files and checks the bearer tokens it issued.
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
import { generateKeyPairSync, randomBytes, randomUUID, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { GoogleAuthorizedUser, GoogleServiceAccountKey } from '../../../main/providers/google/googleAuth.ts'
import { isRecord } from './openaiResponses.ts'
import type { RecordedRequest } from './upstreamServer.ts'

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

export type OAuthState = {
  tokenUri: string
  lifetimeS: number
  serviceAccounts: Map<string, { keyId: string; publicKey: KeyObject }>
  users: Map<string, { clientId: string; clientSecret: string; scope: string }>
  /** Issued access token → expiry (epoch ms). */
  issued: Map<string, number>
  now: () => number
}

export function createOAuthState(tokenUri: string, lifetimeS = 3599, now: () => number = Date.now): OAuthState {
  return { tokenUri, lifetimeS, serviceAccounts: new Map(), users: new Map(), issued: new Map(), now }
}

/** A new service-account key file whose token_uri is this fake; its public key is registered. */
export function newServiceAccount(state: OAuthState, projectId: string): GoogleServiceAccountKey & { client_id: string; auth_uri: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const keyId = randomBytes(20).toString('hex')
  const email = `switchyard-${randomBytes(3).toString('hex')}@${projectId}.iam.gserviceaccount.com`
  state.serviceAccounts.set(email, { keyId, publicKey })
  return {
    type: 'service_account',
    project_id: projectId,
    private_key_id: keyId,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: state.tokenUri,
  }
}

/** A gcloud-style application_default_credentials.json (authorized_user) whose refresh token works here. */
export function newAuthorizedUser(state: OAuthState, quotaProjectId?: string): GoogleAuthorizedUser {
  const clientId = `${randomBytes(6).readUIntBE(0, 6)}-fake.apps.googleusercontent.com`
  const clientSecret = `d-FL95Q19q7MQmFpd7hHD0Ty`
  const refreshToken = `1//0g${randomBytes(24).toString('base64url')}`
  state.users.set(refreshToken, { clientId, clientSecret, scope: 'openid https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email' })
  return {
    type: 'authorized_user',
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken,
    token_uri: state.tokenUri,
    ...(quotaProjectId ? { quota_project_id: quotaProjectId } : {}),
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
}

const oauthError = (res: ServerResponse, status: number, error: string, description: string): void => send(res, status, { error, error_description: description })

function issue(state: OAuthState): { token: string; expiresIn: number } {
  const token = `ya29.c.${randomBytes(48).toString('base64url')}`
  state.issued.set(token, state.now() + state.lifetimeS * 1000)
  return { token, expiresIn: state.lifetimeS }
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'))
    return isRecord(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

function jwtGrant(state: OAuthState, form: URLSearchParams, res: ServerResponse): void {
  const assertion = form.get('assertion')
  if (!assertion) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: assertion')
  const [h, c, s] = assertion.split('.')
  const header = decodeSegment(h)
  const claims = decodeSegment(c)
  if (!header || !claims || s === undefined || header['alg'] !== 'RS256') return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Unsupported or malformed JWT.')
  const account = typeof claims['iss'] === 'string' ? state.serviceAccounts.get(claims['iss']) : undefined
  if (!account) return oauthError(res, 400, 'invalid_grant', 'Invalid grant: account not found')
  if (header['kid'] !== undefined && header['kid'] !== account.keyId) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT Signature.')
  if (!verify('sha256', Buffer.from(`${h}.${c}`), account.publicKey, Buffer.from(s, 'base64url'))) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT Signature.')
  if (claims['aud'] !== state.tokenUri) return oauthError(res, 400, 'invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${state.tokenUri}`)
  const iat = Number(claims['iat'])
  const exp = Number(claims['exp'])
  const nowS = state.now() / 1000
  if (!(exp > iat) || exp - iat > 3600 || iat > nowS + 300 || exp < nowS) {
    return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.')
  }
  if (typeof claims['scope'] !== 'string' || claims['scope'] === '') return oauthError(res, 400, 'invalid_scope', 'Empty or missing scope not allowed.')
  const { token, expiresIn } = issue(state)
  send(res, 200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' })
}

function refreshGrant(state: OAuthState, form: URLSearchParams, res: ServerResponse): void {
  const clientId = form.get('client_id')
  const knownClient = [...state.users.values()].find((u) => u.clientId === clientId)
  if (!knownClient) return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.')
  if (knownClient.clientSecret !== form.get('client_secret')) return oauthError(res, 401, 'invalid_client', 'Unauthorized')
  const user = state.users.get(form.get('refresh_token') ?? '')
  if (!user || user.clientId !== clientId) return oauthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.')
  const { token, expiresIn } = issue(state)
  send(res, 200, { access_token: token, expires_in: expiresIn, scope: user.scope, token_type: 'Bearer', id_token: `eyJ${randomUUID()}` })
}

/** `POST /token` (application/x-www-form-urlencoded). */
export function handleToken(state: OAuthState, req: RecordedRequest, res: ServerResponse): void {
  if (req.method !== 'POST') return oauthError(res, 405, 'invalid_request', 'Method Not Allowed')
  const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '')
  const grant = form.get('grant_type')
  if (grant === JWT_BEARER) return jwtGrant(state, form, res)
  if (grant === 'refresh_token') return refreshGrant(state, form, res)
  oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`)
}

export type BearerCheck = 'ok' | 'missing' | 'expired' | 'invalid'

/** Checks `Authorization: Bearer <token>` against issued (and unexpired) or static tokens. */
export function checkBearer(state: OAuthState, authorization: string | undefined, staticTokens: readonly string[]): BearerCheck {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim()
  if (!token) return 'missing'
  if (staticTokens.includes(token)) return 'ok'
  const expiry = state.issued.get(token)
  if (expiry === undefined) return 'invalid'
  return expiry > state.now() ? 'ok' : 'expired'
}
