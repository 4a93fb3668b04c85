/** Guardrail detectors: a table per detector of what it must find (true positives) and what it must not (false positives). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GuardrailDetector } from '../../preload/contract.ts'
import { allDetectors, ibanChecksumOk, luhn, scanText, validSsn } from '../../main/guardrails/detectors.ts'
import { growthRatio } from '../support/growthRatio.ts'

const all = new Set(allDetectors)
const found = (text: string) => scanText(text, all).map((f) => ({ detector: f.detector, text: text.slice(f.start, f.end) }))

// Built at run time so that no scanner of this repository mistakes the fixtures for live keys.
const r = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n)
const openaiLegacy = `sk-${r('Ab3dEf7hIj9kLm1nOp5qRs', 48)}`
const openaiProject = `sk-proj-${r('Xy7_Zq2-Wv9Ut4Rs6Pq8', 120)}`
const anthropicKey = `sk-ant-api03-${r('Kx9-Lm3_Np7Qr1', 93)}AA`
const githubPat = `ghp_${r('aB3cD4eF5gH6', 36)}`
const githubFine = `github_pat_11${r('ABCDEFG1234567_hijklmnop', 80)}`
const slack = `xoxb-${r('1234567890', 12)}-${r('0987654321', 13)}-${r('AbCdEfGhIjKl', 24)}`
const google = `AIza${r('SyA1b2C3d4E5f6G7h8', 35)}`
const stripe = `sk_live_${r('51H8xYz2AbCdEf', 99)}`
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
const pem = `-----BEGIN PRIVATE KEY-----\n${r('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 64)}\n${r('BKcwggSjAgEAAoIBAQC7', 64)}\n-----END PRIVATE KEY-----`

type Row = [string, GuardrailDetector | null, string?]
const table: Record<string, Row[]> = {
  openai_key: [
    [`key: ${openaiLegacy}`, 'openai_key', openaiLegacy],
    [`OPENAI=${openaiProject} `, 'openai_key', openaiProject],
    ['use sk-learn-compatible-estimators-for-this', null],
    ['the task-management-system-overview-document', null],
    ['sk-short', null],
  ],
  anthropic_key: [
    [`x-api-key: ${anthropicKey}`, 'anthropic_key', anthropicKey],
    ['sk-ant-', null],
  ],
  aws_access_key: [
    ['id AKIAIOSFODNN7EXAMPLE here', 'aws_access_key', 'AKIAIOSFODNN7EXAMPLE'],
    ['temp ASIAY34FZKBOKMUTVV7A.', 'aws_access_key', 'ASIAY34FZKBOKMUTVV7A'],
    ['AKIAIOSFODNN7EXAMPLEXX (too long)', null],
    ['MYAKIAIOSFODNN7EXAMPLE (inside a word)', null],
    ['ASIAN markets', null],
  ],
  aws_secret_key: [
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', 'aws_secret_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a 40-char hash 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 alone', null],
  ],
  github_token: [
    [`token ${githubPat}`, 'github_token', githubPat],
    [`GH=${githubFine}`, 'github_token', githubFine],
    ['ghp_tooShort123', null],
  ],
  slack_token: [
    [slack, 'slack_token', slack],
    ['xoxo-hugs-and-kisses', null],
  ],
  google_api_key: [
    [`key=${google}&q=1`, 'google_api_key', google],
    ['AIzaShort', null],
  ],
  stripe_key: [
    [`stripe ${stripe}`, 'stripe_key', stripe],
    ['sk_live_ (docs)', null],
  ],
  azure_storage_key: [[`DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${r('Zm9vYmFy', 86)}==;EndpointSuffix=core.windows.net`, 'azure_storage_key', `${r('Zm9vYmFy', 86)}==`]],
  private_key: [
    [`here:\n${pem}\nthanks`, 'private_key', pem],
    ['the file starts with -----BEGIN PRIVATE KEY----- and ends with -----END PRIVATE KEY-----', null],
    ['-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----', null],
  ],
  jwt: [
    [`Authorization: Bearer ${jwt}`, 'jwt', jwt],
    ['eyJub3QiOiJhIGp3dCJ9.eyJhIjoxMjM0NTY3OH0.c2lnbmF0dXJlc2lnbmF0dXJl', null], // header without alg/typ
    ['eyJ-looks-like.but.is-not', null],
  ],
  env_secret: [
    ['DATABASE_PASSWORD=hunter2', 'env_secret', 'hunter2'],
    ['export STRIPE_SECRET="s3cr3t-value"', 'env_secret', 's3cr3t-value'],
    ['GITLAB_TOKEN=glpat-abcdefghij', 'env_secret', 'glpat-abcdefghij'],
    ['SERVICE_API_KEY=q9w8e7r6', 'env_secret', 'q9w8e7r6'],
    ['password: Tr0ub4dor3x', 'env_secret', 'Tr0ub4dor3x'],
    ['MAX_TOKENS=4096', null],
    ['TOKEN_URL=https://auth.example.com/token', null],
    ['PASSWORD=${DB_PASSWORD}', null],
    ['API_KEY=<your key here>', null],
    ['SECRET=changeme', null],
    ['the password: is required', null],
    ['const maxTokens = 4096', null],
  ],
  email: [
    ['write to jane.doe+tag@example.co.uk today', 'email', 'jane.doe+tag@example.co.uk'],
    ['Co-Authored-By: Claude <noreply@anthropic.com>', 'email', 'noreply@anthropic.com'],
    ['import x from "@anthropic-ai/sdk"', null],
    ['icon@2x.png and logo@3x.svg', null],
    ['npm i left-pad@1.3.0', null],
    ['@Component decorator', null],
  ],
  phone: [
    ['call 415-555-2671 now', 'phone', '415-555-2671'],
    ['(212) 555-0198', 'phone', '(212) 555-0198'],
    ['+44 20 7946 0958', 'phone', '+44 20 7946 0958'],
    ['+1 (650) 253-0000.', 'phone', '+1 (650) 253-0000'],
    ['version 1.212.555.1234', null],
    ['node v22.18.0 and 10.0.0.1', null],
    ['2024-01-15 12:30', null],
    ['415-555.2671 (mixed separators)', null],
    ['build 123-456-7890 (area code cannot start with 1)', null],
    ['timestamp 1732368000123', null],
  ],
  credit_card: [
    ['card 4111 1111 1111 1111 exp 12/29', 'credit_card', '4111 1111 1111 1111'],
    ['5555-5555-5555-4444', 'credit_card', '5555-5555-5555-4444'],
    ['amex 378282246310005', 'credit_card', '378282246310005'],
    ['4111 1111 1111 1112 (Luhn fails)', null],
    ['0000 0000 0000 0000', null],
    ['order 1234567812345678', null],
  ],
  iban: [
    ['IBAN DE89 3704 0044 0532 0130 00', 'iban', 'DE89 3704 0044 0532 0130 00'],
    ['GB82WEST12345698765432', 'iban', 'GB82WEST12345698765432'],
    ['GB82WEST12345698765433 (mod-97 fails)', null],
    ['DE89370400440532013001 (mod-97 fails)', null],
    ['XX89370400440532013000 (no such country)', null],
  ],
  us_ssn: [
    ['SSN 536-22-1234', 'us_ssn', '536-22-1234'],
    ['000-12-3456', null],
    ['666-12-3456', null],
    ['912-12-3456', null],
    ['536-00-1234', null],
    ['536-22-0000', null],
    ['123-45-6789 (the advertised example)', null],
    ['uuid 123e4567-e89b-12d3-a456-426614174000', null],
    ['550e8400-e29b-41d4-a716-446655440000', null],
  ],
}

for (const [detector, rows] of Object.entries(table)) {
  test(`${detector}: true and false positives`, () => {
    for (const [text, want, match] of rows) {
      const got = found(text)
      if (want === null) assert.deepEqual(got, [], `nothing in ${JSON.stringify(text)}`)
      else assert.deepEqual(got, [{ detector: want, text: match }], `in ${JSON.stringify(text)}`)
    }
  })
}

test('UUIDs, hashes and base64 blobs are not keys', () => {
  const text = [
    '550e8400-e29b-41d4-a716-446655440000',
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12',
    `data:image/png;base64,${r('iVBORw0KGgoAAAANSUhEUgAA', 200)}`,
  ].join('\n')
  assert.deepEqual(found(text), [])
})

test('checksums and validity rules', () => {
  assert.equal(luhn('4111111111111111'), true)
  assert.equal(luhn('4111111111111112'), false)
  assert.equal(ibanChecksumOk('GB82WEST12345698765432'), true)
  assert.equal(ibanChecksumOk('GB82WEST12345698765433'), false)
  assert.equal(validSsn('536', '22', '1234'), true)
  assert.equal(validSsn('666', '22', '1234'), false)
})

test('overlapping findings are reported once; only the enabled detectors run', () => {
  const text = 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
  assert.deepEqual(found(text), [{ detector: 'aws_secret_key', text: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }])
  assert.deepEqual(scanText('mail jane@example.com, card 4111 1111 1111 1111', new Set(['email'] as const)).length, 1)
})

test('no catastrophic backtracking: hostile inputs scan in linear time', () => {
  // Each input at n and 4n repeats, n sized to about 0.15 ms of scanning (ten scans per run lift that above
  // the clock's overhead): linear code costs about 4× as much on the larger, a backtracking pattern or a
  // rescan per match 16× or more. A small n keeps a quadratic version failing in seconds, not hanging.
  const hostile: Array<[(n: number) => string, number]> = [
    [(n) => '1 '.repeat(n), 10_000],
    [(n) => 'a@'.repeat(n), 3_000],
    [(n) => `sk-${'a-'.repeat(n)}`, 8_000],
    [(n) => `eyJ${'a'.repeat(n)}.eyJ${'b'.repeat(n)}.`, 10_000],
    [(n) => `-----BEGIN PRIVATE KEY-----${' '.repeat(n)}`, 25_000],
    [(n) => 'PASSWORD'.repeat(n), 1_500],
    [(n) => '+1 '.repeat(n), 5_000],
    [(n) => 'DE89 '.repeat(n), 600],
  ]
  const scanTenTimes = (text: string) => {
    for (let k = 0; k < 10; k++) scanText(text, all)
  }
  for (const [text, n] of hostile) {
    const ratio = growthRatio(scanTenTimes, text(n), text(4 * n))
    assert.ok(ratio < 10, `${JSON.stringify(text(n).slice(0, 20))}… costs ${ratio.toFixed(1)}× as much at 4× the length`)
  }
})
