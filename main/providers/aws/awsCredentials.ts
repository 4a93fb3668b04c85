/**
 * AWS credentials for Bedrock: explicit keys, or a named profile from the user's shared files
 * (`~/.aws/credentials`, `~/.aws/config`, or the paths in AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE),
 * with the profile's region. Reads files only through `deps.readFile`; never writes, never calls
 * AWS, never logs a key. Profiles that need a network exchange (assume-role, IAM Identity Center/SSO,
 * credential_process, web identity) are refused with a clear error rather than half-supported.
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
 */
import { readFile as readFileFs } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { AwsCredentialsError } from './AwsCredentialsError.ts'
import type { AwsCredentials } from './sigv4.ts'

export type AwsCredentialSource =
  | { kind: 'keys'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region?: string }
  /** `profile` defaults to AWS_PROFILE, then `default`. */
  | { kind: 'profile'; profile?: string; region?: string }

export type ResolvedAwsCredentials = {
  credentials: AwsCredentials
  /** Explicit region, else the profile's, else AWS_REGION / AWS_DEFAULT_REGION; undefined if none. */
  region: string | undefined
  /** Where the keys came from, for messages: `keys` or `profile dev (/home/u/.aws/credentials)`. */
  origin: string
}

export type AwsCredentialsDeps = {
  env?: Record<string, string | undefined>
  homeDir?: string
  /** Overrides AWS_SHARED_CREDENTIALS_FILE and ~/.aws/credentials. */
  credentialsFile?: string
  /** Overrides AWS_CONFIG_FILE and ~/.aws/config. */
  configFile?: string
  /** Resolves undefined when the file does not exist. */
  readFile?: (path: string) => Promise<string | undefined>
}

type IniSections = Record<string, Record<string, string>>

/**
 * The AWS INI dialect: `[section]` headers, `key = value` lines, full-line `#`/`;` comments, and
 * indented lines under an empty key as nested settings (kept as `parent.child`). Keys are lower-cased.
 */
function parseIni(text: string): IniSections {
  const sections: IniSections = {}
  let current: Record<string, string> | undefined
  let parent: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd()
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed)
    if (header) {
      const name = (header[1] ?? '').replace(/\s+/g, ' ')
      current = sections[name] ?? (sections[name] = {})
      parent = undefined
      continue
    }
    const eq = trimmed.indexOf('=')
    if (!current || eq === -1) continue
    const key = trimmed.slice(0, eq).trim().toLowerCase()
    const value = trimmed.slice(eq + 1).trim()
    if (/^\s/.test(line) && parent !== undefined) {
      current[`${parent}.${key}`] = value
      continue
    }
    current[key] = value
    parent = value === '' ? key : undefined
  }
  return sections
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFileFs(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new AwsCredentialsError('unreadable_file', `Cannot read ${path}: ${(err as Error).message}`)
  }
}

const expandHome = (path: string, home: string): string => (path.startsWith('~/') || path === '~' ? join(home, path.slice(1)) : path)

/** What a profile needs that this module does not do, if anything (AWS SDK order: role first, keys next). */
function unsupportedFeature(p: Record<string, string>): string | undefined {
  if (p['role_arn']) return 'assume-role (role_arn)'
  if (p['aws_access_key_id'] && p['aws_secret_access_key']) return undefined
  if (p['sso_session'] || p['sso_start_url'] || p['sso_account_id']) return 'IAM Identity Center / SSO'
  if (p['credential_process']) return 'credential_process'
  if (p['web_identity_token_file']) return 'web identity (web_identity_token_file)'
  if (p['login_session']) return 'console sign-in (login_session)'
  return undefined
}

async function resolveProfile(
  source: { profile?: string; region?: string },
  deps: AwsCredentialsDeps,
): Promise<ResolvedAwsCredentials> {
  const env = deps.env ?? process.env
  const home = deps.homeDir ?? homedir()
  const read = deps.readFile ?? readOptional
  const name = source.profile ?? env['AWS_PROFILE'] ?? 'default'
  const credentialsPath = expandHome(deps.credentialsFile ?? env['AWS_SHARED_CREDENTIALS_FILE'] ?? join(home, '.aws', 'credentials'), home)
  const configPath = expandHome(deps.configFile ?? env['AWS_CONFIG_FILE'] ?? join(home, '.aws', 'config'), home)
  const [credentialsText, configText] = await Promise.all([read(credentialsPath), read(configPath)])
  const fromCredentials = credentialsText === undefined ? undefined : parseIni(credentialsText)[name]
  const configSections = configText === undefined ? {} : parseIni(configText)
  const fromConfig = name === 'default' ? (configSections['default'] ?? configSections['profile default']) : configSections[`profile ${name}`]
  if (!fromCredentials && !fromConfig) {
    throw new AwsCredentialsError('profile_not_found', `AWS profile "${name}" is not in ${credentialsPath} or ${configPath}.`)
  }
  // Keys in the credentials file win over the same keys in the config file (as in the AWS CLI).
  const profile = { ...fromConfig, ...fromCredentials }
  const where = fromCredentials ? credentialsPath : configPath
  const feature = unsupportedFeature(profile)
  if (feature) {
    throw new AwsCredentialsError(
      'unsupported_profile',
      `AWS profile "${name}" (${where}) uses ${feature}, which Switchyard does not support. ` +
        `Export temporary keys with \`aws configure export-credentials --profile ${name} --format env\` and enter them as access keys, ` +
        'or point Switchyard at a profile with aws_access_key_id and aws_secret_access_key.',
    )
  }
  const accessKeyId = profile['aws_access_key_id']
  const secretAccessKey = profile['aws_secret_access_key']
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsCredentialsError('incomplete_profile', `AWS profile "${name}" (${where}) has no aws_access_key_id / aws_secret_access_key.`)
  }
  const sessionToken = profile['aws_session_token']
  const credentials: AwsCredentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
  const region = source.region ?? fromConfig?.['region'] ?? fromCredentials?.['region'] ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION']
  return { credentials, region: region || undefined, origin: `profile ${name} (${where})` }
}

/** Credentials and region for one Bedrock integration. Throws AwsCredentialsError. */
async function resolve(source: AwsCredentialSource, deps: AwsCredentialsDeps = {}): Promise<ResolvedAwsCredentials> {
  if (source.kind === 'profile') return resolveProfile(source, deps)
  const accessKeyId = source.accessKeyId.trim()
  const secretAccessKey = source.secretAccessKey.trim()
  if (!accessKeyId || !secretAccessKey) {
    throw new AwsCredentialsError('missing_keys', 'An AWS access key id and secret access key are both required.')
  }
  const sessionToken = source.sessionToken?.trim()
  const credentials: AwsCredentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
  const env = deps.env ?? process.env
  return { credentials, region: source.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'], origin: 'keys' }
}

/** The module's surface: `awsCredentials.resolve(source, deps)`. */
export const awsCredentials = { resolve, parseIni }
