/**
 * AWS credentials from keys or shared-file profiles. Files are written in the formats of
 * https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html (credentials: `[name]`,
 * config: `[profile name]` / `[default]`, nested `s3 =` settings, `sso-session` sections).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { AwsCredentialsError } from '../../main/providers/aws/AwsCredentialsError.ts'
import { awsCredentials } from '../../main/providers/aws/awsCredentials.ts'
import type { AwsCredentialsDeps, AwsCredentialSource } from '../../main/providers/aws/awsCredentials.ts'

const CREDENTIALS = [
  '# written by aws configure',
  '[default]',
  'aws_access_key_id = AKIADEFAULT',
  'aws_secret_access_key = secretDefault/+=',
  '',
  '[dev]',
  'aws_access_key_id=AKIADEV',
  'aws_secret_access_key=secretDev',
  'aws_session_token = tokenDev',
  '',
  '[keys-in-both]',
  'aws_access_key_id = AKIAFROMCREDENTIALS',
  'aws_secret_access_key = fromCredentials',
  '[no-keys]',
  'region = eu-west-1',
].join('\r\n')

const CONFIG = `[default]
region = us-east-1
output = json

[profile dev]
region = eu-central-1
s3 =
  max_concurrent_requests = 20

[profile keys-in-both]
aws_access_key_id = AKIAFROMCONFIG
aws_secret_access_key = fromConfig
region = ap-northeast-1

[profile config-only]
aws_access_key_id = AKIACONFIGONLY
aws_secret_access_key = configOnly
; a comment
region = us-west-2

[profile sso]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = Admin
region = us-east-1

[sso-session my-sso]
sso_start_url = https://my-sso-portal.awsapps.com/start
sso_region = us-east-1

[profile assume]
role_arn = arn:aws:iam::123456789012:role/bedrock
source_profile = default

[profile process]
credential_process = /usr/local/bin/get-creds
`

function files(): AwsCredentialsDeps {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-aws-'))
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'credentials'), CREDENTIALS)
  writeFileSync(join(home, '.aws', 'config'), CONFIG)
  return { homeDir: home, env: {} }
}

type Row = [name: string, source: AwsCredentialSource, env: Record<string, string>, expected: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string | undefined }]

const rows: Row[] = [
  ['explicit keys', { kind: 'keys', accessKeyId: ' AKIA1 ', secretAccessKey: 's1', region: 'us-west-2' }, {}, { accessKeyId: 'AKIA1', secretAccessKey: 's1', region: 'us-west-2' }],
  ['explicit keys with session token, region from AWS_REGION', { kind: 'keys', accessKeyId: 'AKIA1', secretAccessKey: 's1', sessionToken: 't1' }, { AWS_REGION: 'eu-north-1' }, { accessKeyId: 'AKIA1', secretAccessKey: 's1', sessionToken: 't1', region: 'eu-north-1' }],
  ['default profile, region from config [default]', { kind: 'profile' }, {}, { accessKeyId: 'AKIADEFAULT', secretAccessKey: 'secretDefault/+=', region: 'us-east-1' }],
  ['named profile with session token, region from [profile dev]', { kind: 'profile', profile: 'dev' }, {}, { accessKeyId: 'AKIADEV', secretAccessKey: 'secretDev', sessionToken: 'tokenDev', region: 'eu-central-1' }],
  ['AWS_PROFILE picks the profile', { kind: 'profile' }, { AWS_PROFILE: 'dev' }, { accessKeyId: 'AKIADEV', secretAccessKey: 'secretDev', sessionToken: 'tokenDev', region: 'eu-central-1' }],
  ['credentials file wins over config for keys; region from config', { kind: 'profile', profile: 'keys-in-both' }, {}, { accessKeyId: 'AKIAFROMCREDENTIALS', secretAccessKey: 'fromCredentials', region: 'ap-northeast-1' }],
  ['keys only in the config file', { kind: 'profile', profile: 'config-only' }, {}, { accessKeyId: 'AKIACONFIGONLY', secretAccessKey: 'configOnly', region: 'us-west-2' }],
  ['explicit region beats the profile', { kind: 'profile', profile: 'dev', region: 'us-east-2' }, {}, { accessKeyId: 'AKIADEV', secretAccessKey: 'secretDev', sessionToken: 'tokenDev', region: 'us-east-2' }],
]

for (const [name, source, env, expected] of rows) {
  test(name, async () => {
    const deps = { ...files(), env }
    const { credentials, region } = await awsCredentials.resolve(source, deps)
    const { region: expectedRegion, ...expectedCredentials } = expected
    assert.deepEqual(credentials, expectedCredentials)
    assert.equal(region, expectedRegion)
  })
}

const failures: Array<[string, AwsCredentialSource, string, RegExp]> = [
  ['missing keys', { kind: 'keys', accessKeyId: 'AKIA', secretAccessKey: ' ' }, 'missing_keys', /required/],
  ['unknown profile', { kind: 'profile', profile: 'nope' }, 'profile_not_found', /"nope"/],
  ['profile without keys', { kind: 'profile', profile: 'no-keys' }, 'incomplete_profile', /aws_access_key_id/],
  ['SSO profile', { kind: 'profile', profile: 'sso' }, 'unsupported_profile', /IAM Identity Center \/ SSO.*aws configure export-credentials --profile sso --format env/],
  ['assume-role profile', { kind: 'profile', profile: 'assume' }, 'unsupported_profile', /assume-role \(role_arn\)/],
  ['credential_process profile', { kind: 'profile', profile: 'process' }, 'unsupported_profile', /credential_process/],
]

for (const [name, source, code, message] of failures) {
  test(`refuses: ${name} (${code})`, async () => {
    await assert.rejects(awsCredentials.resolve(source, files()), (e: unknown) => e instanceof AwsCredentialsError && e.code === code && message.test(e.message))
  })
}

test('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are respected (with ~ expanded)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-aws-'))
  mkdirSync(join(home, 'elsewhere'))
  writeFileSync(join(home, 'elsewhere', 'creds'), '[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = work\n')
  writeFileSync(join(home, 'elsewhere', 'conf'), '[profile work]\nregion = sa-east-1\n')
  const env = { AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds', AWS_CONFIG_FILE: join(home, 'elsewhere', 'conf') }
  const resolved = await awsCredentials.resolve({ kind: 'profile', profile: 'work' }, { homeDir: home, env })
  assert.deepEqual(resolved.credentials, { accessKeyId: 'AKIAWORK', secretAccessKey: 'work' })
  assert.equal(resolved.region, 'sa-east-1')
  assert.match(resolved.origin, /profile work \(.*elsewhere\/creds\)/)
})

test('explicit paths win over the environment; a missing file is not an error by itself', async () => {
  const reads: string[] = []
  const readFile = async (path: string): Promise<string | undefined> => {
    reads.push(path)
    return path === '/x/credentials' ? '[default]\naws_access_key_id=A\naws_secret_access_key=B\n' : undefined
  }
  const env = { AWS_SHARED_CREDENTIALS_FILE: '/ignored', AWS_CONFIG_FILE: '/ignored' }
  const resolved = await awsCredentials.resolve({ kind: 'profile' }, { credentialsFile: '/x/credentials', configFile: '/x/config', readFile, env })
  assert.deepEqual(reads.sort(), ['/x/config', '/x/credentials'])
  assert.equal(resolved.region, undefined)
})

test('parseIni keeps nested settings and normalises section names', () => {
  const parsed = awsCredentials.parseIni('[profile   dev]\nregion=eu-west-1\ns3 =\n  max_concurrent_requests = 20\nOutput = json\n')
  assert.deepEqual(parsed, { 'profile dev': { region: 'eu-west-1', s3: '', 's3.max_concurrent_requests': '20', output: 'json' } })
})
