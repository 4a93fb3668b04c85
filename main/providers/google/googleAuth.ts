/**
 * OAuth access tokens for Vertex AI, from a service-account key (an RS256-signed JWT exchanged at the
 * key's `token_uri`) or from application-default credentials of type `authorized_user` (a
 * refresh-token grant). Tokens are cached until shortly before they expire, and concurrent callers
 * share one in-flight exchange. It talks only to the token endpoint named in the credentials (so a
 * test can point it at a local one) through the injected `fetch`; it never logs a secret.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 * https://cloud.google.com/docs/authentication/application-default-credentials
 */
import { createPrivateKey, sign as rsaSign } from 'node:crypto'
import { readFile as readFileFs } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { redact } from '../../log.ts'
import { GoogleAuthError } from './GoogleAuthError.ts'

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'
export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token'
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
/** google-auth-library's eager refresh threshold. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000
const JWT_LIFETIME_S = 3600

export type GoogleServiceAccountKey = {
  type: 'service_account'
  client_email: string
  private_key: string
  private_key_id?: string
  token_uri?: string
  project_id?: string
}

export type GoogleAuthorizedUser = {
  type: 'authorized_user'
  client_id: string
  client_secret: string
  refresh_token: string
  token_uri?: string
  quota_project_id?: string
}

export type GoogleAuthDeps = {
  fetch?: typeof fetch
  /** Epoch ms. */
  now?: () => number
  env?: Record<string, string | undefined>
  homeDir?: string
  platform?: NodeJS.Platform
  /** Resolves undefined when the file does not exist. */
  readFile?: (path: string) => Promise<string | undefined>
  scopes?: readonly string[]
  /** Refresh this long before expiry (capped at half the token's lifetime). Default 5 minutes. */
  refreshMarginMs?: number
}

export type GoogleTokenSource = {
  kind: 'service_account' | 'authorized_user'
  /** From a service-account key; Vertex URLs need a project. */
  projectId: string | undefined
  /** From an authorized_user file; send as `x-goog-user-project`. */
  quotaProjectId: string | undefined
  /** A valid access token; mints one when none is cached or it is about to expire. */
  accessToken(): Promise<string>
  /** Forgets the cached token (after the API answered 401 to it). */
  invalidate(): void
}

type Minted = { token: string; refreshAt: number }

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** The signed assertion for a service account: header.claims.signature, RS256. */
function serviceAccountAssertion(key: GoogleServiceAccountKey, tokenUri: string, scopes: readonly string[], nowMs: number): string {
  const iat = Math.floor(nowMs / 1000)
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) }
  const claims = { iss: key.client_email, scope: scopes.join(' '), aud: tokenUri, iat, exp: iat + JWT_LIFETIME_S }
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`
  const signature = rsaSign('sha256', Buffer.from(unsigned), createPrivateKey(key.private_key))
  return `${unsigned}.${signature.toString('base64url')}`
}

async function exchange(tokenUri: string, form: Record<string, string>, kind: string, deps: GoogleAuthDeps): Promise<{ token: string; expiresInS: number }> {
  const doFetch = deps.fetch ?? fetch
  let response: Response
  try {
    response = await doFetch(tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
  } catch (cause) {
    throw new GoogleAuthError('token_endpoint_unreachable', `Cannot reach the Google token endpoint ${tokenUri}.`, { cause })
  }
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  if (!response.ok) {
    const error = isRecord(body) ? str(body['error']) : undefined
    const description = isRecord(body) ? str(body['error_description']) : undefined
    const detail = [error, description && `(${description})`].filter(Boolean).join(' ') || `HTTP ${response.status}`
    throw new GoogleAuthError('token_rejected', `Google refused the ${kind} credentials: ${detail}.`, { status: response.status })
  }
  const token = isRecord(body) ? str(body['access_token']) : undefined
  if (!token || !isRecord(body)) throw new GoogleAuthError('bad_token_response', `The token endpoint ${tokenUri} answered without an access_token.`)
  const expiresIn = body['expires_in']
  return { token, expiresInS: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3600 }
}

/** Shared caching: a token until its refresh time, and one exchange in flight at most. */
function cachedSource(
  kind: GoogleTokenSource['kind'],
  ids: Pick<GoogleTokenSource, 'projectId' | 'quotaProjectId'>,
  mint: (nowMs: number) => Promise<{ token: string; expiresInS: number }>,
  deps: GoogleAuthDeps,
): GoogleTokenSource {
  const now = deps.now ?? Date.now
  const margin = deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS
  let cached: Minted | undefined
  let inflight: Promise<Minted> | undefined
  const refresh = (): Promise<Minted> => {
    inflight ??= (async () => {
      const started = now()
      const { token, expiresInS } = await mint(started)
      redact(token)
      const lifetimeMs = expiresInS * 1000
      const minted = { token, refreshAt: started + lifetimeMs - Math.min(margin, lifetimeMs / 2) }
      cached = minted
      return minted
    })().finally(() => {
      inflight = undefined
    })
    return inflight
  }
  return {
    kind,
    ...ids,
    async accessToken() {
      if (cached && now() < cached.refreshAt) return cached.token
      return (await refresh()).token
    },
    invalidate() {
      cached = undefined
    },
  }
}

function fromServiceAccount(key: GoogleServiceAccountKey, deps: GoogleAuthDeps): GoogleTokenSource {
  const tokenUri = key.token_uri ?? DEFAULT_TOKEN_URI
  const scopes = deps.scopes ?? [CLOUD_PLATFORM_SCOPE]
  const mint = (nowMs: number) =>
    exchange(tokenUri, { grant_type: JWT_BEARER, assertion: serviceAccountAssertion(key, tokenUri, scopes, nowMs) }, `service account ${key.client_email}`, deps)
  return cachedSource('service_account', { projectId: key.project_id, quotaProjectId: undefined }, mint, deps)
}

function fromAuthorizedUser(user: GoogleAuthorizedUser, deps: GoogleAuthDeps): GoogleTokenSource {
  const tokenUri = user.token_uri ?? DEFAULT_TOKEN_URI
  const form = { grant_type: 'refresh_token', client_id: user.client_id, client_secret: user.client_secret, refresh_token: user.refresh_token }
  const mint = () => exchange(tokenUri, form, 'application-default (authorized_user)', deps)
  return cachedSource('authorized_user', { projectId: undefined, quotaProjectId: user.quota_project_id }, mint, deps)
}

/** Validates a parsed credentials file and returns its token source. `where` names it in errors. */
function fromJson(json: unknown, deps: GoogleAuthDeps = {}, where = 'the credentials'): GoogleTokenSource {
  if (!isRecord(json)) throw new GoogleAuthError('bad_credentials_file', `${where} is not a JSON object.`)
  const type = json['type']
  const need = (field: string): string => {
    const value = str(json[field])
    if (!value) throw new GoogleAuthError('bad_credentials_file', `${where} (type ${String(type)}) has no "${field}".`)
    return value
  }
  const optional = (field: string): string | undefined => str(json[field])
  if (type === 'service_account') {
    const key: GoogleServiceAccountKey = { type, client_email: need('client_email'), private_key: need('private_key') }
    for (const field of ['private_key_id', 'token_uri', 'project_id'] as const) {
      const value = optional(field)
      if (value) key[field] = value
    }
    return fromServiceAccount(key, deps)
  }
  if (type === 'authorized_user') {
    const user: GoogleAuthorizedUser = { type, client_id: need('client_id'), client_secret: need('client_secret'), refresh_token: need('refresh_token') }
    for (const field of ['token_uri', 'quota_project_id'] as const) {
      const value = optional(field)
      if (value) user[field] = value
    }
    return fromAuthorizedUser(user, deps)
  }
  throw new GoogleAuthError(
    'unsupported_credentials',
    `${where} is of type "${String(type)}"; Switchyard supports "service_account" keys and "authorized_user" application-default credentials ` +
      '(from `gcloud auth application-default login`).',
  )
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFileFs(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new GoogleAuthError('unreadable_file', `Cannot read ${path}: ${(err as Error).message}`)
  }
}

/** A credentials file on disk (a service-account key or an ADC file). */
async function fromFile(path: string, deps: GoogleAuthDeps = {}): Promise<GoogleTokenSource> {
  const text = await (deps.readFile ?? readOptional)(path)
  if (text === undefined) throw new GoogleAuthError('no_credentials', `Google credentials file ${path} does not exist.`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new GoogleAuthError('bad_credentials_file', `${path} is not valid JSON.`)
  }
  return fromJson(json, deps, path)
}

/** Where gcloud writes application-default credentials. */
function wellKnownFile(deps: GoogleAuthDeps): string {
  const env = deps.env ?? process.env
  const configDir = env['CLOUDSDK_CONFIG']
  if (configDir) return join(configDir, 'application_default_credentials.json')
  if ((deps.platform ?? process.platform) === 'win32' && env['APPDATA']) return join(env['APPDATA'], 'gcloud', 'application_default_credentials.json')
  return join(deps.homeDir ?? homedir(), '.config', 'gcloud', 'application_default_credentials.json')
}

/** GOOGLE_APPLICATION_CREDENTIALS, else gcloud's well-known ADC file. The metadata server is not used. */
async function fromApplicationDefault(deps: GoogleAuthDeps = {}): Promise<GoogleTokenSource> {
  const explicit = (deps.env ?? process.env)['GOOGLE_APPLICATION_CREDENTIALS']
  if (explicit) return fromFile(explicit, deps)
  const path = wellKnownFile(deps)
  const text = await (deps.readFile ?? readOptional)(path)
  if (text === undefined) {
    throw new GoogleAuthError(
      'no_credentials',
      `No Google application-default credentials: GOOGLE_APPLICATION_CREDENTIALS is not set and ${path} does not exist. ` +
        'Run `gcloud auth application-default login`, or give Switchyard a service-account key file.',
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new GoogleAuthError('bad_credentials_file', `${path} is not valid JSON.`)
  }
  return fromJson(json, deps, path)
}

/** The module's surface: `googleAuth.fromApplicationDefault(deps)`, `googleAuth.fromJson(key, deps)`… */
export const googleAuth = { fromJson, fromFile, fromApplicationDefault, fromServiceAccount, fromAuthorizedUser }
