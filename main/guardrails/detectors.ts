/**
 * Secret and PII detectors over plain text. Pure, synchronous, no I/O.
 *
 * Speed is the design: a 100 KB Claude Code request must scan in well under 2 ms. Nothing here runs a
 * broad regex over the whole text. Keys with a fixed prefix are found with `indexOf` (native, fast) and
 * only then checked with a sticky regex anchored at the hit; `.env` assignments start from the few
 * uppercase words they must contain; emails start at `@`. Numbers (cards, phones, SSNs, IBANs) come
 * from one pass over digit runs, each run classified by cheap shape tests and then the checksums (Luhn,
 * mod-97) or validity rules. Every regex is bounded and anchored: no catastrophic backtracking.
 */
import type { GuardrailDetector } from '../../preload/contract.ts'

export const secretDetectors = [
  'openai_key',
  'anthropic_key',
  'aws_access_key',
  'aws_secret_key',
  'github_token',
  'slack_token',
  'google_api_key',
  'stripe_key',
  'azure_storage_key',
  'private_key',
  'jwt',
  'env_secret',
] as const satisfies readonly GuardrailDetector[]

export const piiDetectors = ['email', 'phone', 'credit_card', 'iban', 'us_ssn'] as const satisfies readonly GuardrailDetector[]

export const allDetectors: readonly GuardrailDetector[] = [...secretDetectors, ...piiDetectors]

/** The placeholder stem of each detector: `[REDACTED_<label>_<n>]`. */
export const detectorLabel: Record<GuardrailDetector, string> = {
  openai_key: 'OPENAI_KEY',
  anthropic_key: 'ANTHROPIC_KEY',
  aws_access_key: 'AWS_ACCESS_KEY',
  aws_secret_key: 'AWS_SECRET_KEY',
  github_token: 'GITHUB_TOKEN',
  slack_token: 'SLACK_TOKEN',
  google_api_key: 'GOOGLE_API_KEY',
  stripe_key: 'STRIPE_KEY',
  azure_storage_key: 'AZURE_STORAGE_KEY',
  private_key: 'PRIVATE_KEY',
  jwt: 'JWT',
  env_secret: 'ENV_SECRET',
  email: 'EMAIL',
  phone: 'PHONE',
  credit_card: 'CARD_NUMBER',
  iban: 'IBAN',
  us_ssn: 'US_SSN',
}

/** Human names, for error messages. */
export const detectorName: Record<GuardrailDetector, string> = {
  openai_key: 'an OpenAI API key',
  anthropic_key: 'an Anthropic API key',
  aws_access_key: 'an AWS access key id',
  aws_secret_key: 'an AWS secret access key',
  github_token: 'a GitHub token',
  slack_token: 'a Slack token',
  google_api_key: 'a Google API key',
  stripe_key: 'a Stripe secret key',
  azure_storage_key: 'an Azure storage account key',
  private_key: 'a private key',
  jwt: 'a JSON Web Token',
  env_secret: 'a secret assignment (.env style)',
  email: 'an email address',
  phone: 'a phone number',
  credit_card: 'a card number',
  iban: 'an IBAN',
  us_ssn: 'a US social security number',
}

/** A span of `text` (UTF-16 offsets, `end` exclusive). */
export type Finding = { detector: GuardrailDetector; start: number; end: number }

/** Which detectors to run; compiled once per guardrail set. */
export type DetectorSet = ReadonlySet<GuardrailDetector>

//#region character classes (char codes)

const isDigit = (c: number) => c >= 48 && c <= 57
const isUpper = (c: number) => c >= 65 && c <= 90
const isLower = (c: number) => c >= 97 && c <= 122
const isAlnum = (c: number) => isDigit(c) || isUpper(c) || isLower(c)
/** Letters, digits, `_` and `-`: what keys are made of, so a key must not continue one of these. */
const isWordish = (c: number) => isAlnum(c) || c === 95 || c === 45

//#endregion

//#region prefixed keys

type PrefixRule = {
  prefix: string
  detector: GuardrailDetector
  /** Sticky, applied at the prefix; group 1, when present, is the secret (else the whole match). */
  re: RegExp
  validate?: (m: string) => boolean
}

const hasDigitAndUpper = (s: string) => /\d/.test(s) && /[A-Z]/.test(s)

const prefixRules: PrefixRule[] = [
  { prefix: 'sk-ant-', detector: 'anthropic_key', re: /sk-ant-[A-Za-z0-9_-]{20,400}/y },
  {
    prefix: 'sk-',
    detector: 'openai_key',
    re: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,400}/y,
    // Real keys are random: a digit and a capital. Hyphenated words (`sk-learn-…`) are not keys.
    validate: (m) => !m.startsWith('sk-ant-') && hasDigitAndUpper(m.slice(3)),
  },
  { prefix: 'AKIA', detector: 'aws_access_key', re: /AKIA[A-Z0-9]{16}(?![A-Za-z0-9])/y },
  { prefix: 'ASIA', detector: 'aws_access_key', re: /ASIA[A-Z0-9]{16}(?![A-Za-z0-9])/y },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({ prefix, detector: 'github_token' as const, re: /gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9])/y })),
  { prefix: 'github_pat_', detector: 'github_token', re: /github_pat_[A-Za-z0-9_]{50,255}/y },
  { prefix: 'xox', detector: 'slack_token', re: /xox[abposre]-[A-Za-z0-9-]{10,250}/y, validate: (m) => /\d/.test(m) },
  { prefix: 'AIza', detector: 'google_api_key', re: /AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/y },
  { prefix: 'sk_live_', detector: 'stripe_key', re: /sk_live_[0-9a-zA-Z]{20,250}/y },
  { prefix: 'rk_live_', detector: 'stripe_key', re: /rk_live_[0-9a-zA-Z]{20,250}/y },
  { prefix: 'AccountKey=', detector: 'azure_storage_key', re: /AccountKey=([A-Za-z0-9+/]{86}==)/y },
  ...['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'SecretAccessKey', 'secretAccessKey', 'secret_access_key'].map((prefix) => ({
    prefix,
    detector: 'aws_secret_key' as const,
    re: new RegExp(`${prefix}["']?\\s{0,4}[:=]\\s{0,4}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`, 'y'),
  })),
  {
    prefix: 'eyJ',
    detector: 'jwt',
    re: /eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,16384}\.[A-Za-z0-9_-]{16,1024}(?![A-Za-z0-9_-])/y,
    validate: (m) => isJwtHeader(m.slice(0, m.indexOf('.'))),
  },
]

function isJwtHeader(segment: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown
    return !!header && typeof header === 'object' && ('alg' in header || 'typ' in header)
  } catch {
    return false
  }
}

function scanPrefixed(text: string, on: DetectorSet, out: Finding[]): void {
  for (const rule of prefixRules) {
    if (!on.has(rule.detector)) continue
    let i = text.indexOf(rule.prefix)
    while (i !== -1) {
      let next = i + 1
      if (i === 0 || !isWordish(text.charCodeAt(i - 1)) || rule.prefix === 'AccountKey=') {
        rule.re.lastIndex = i
        const m = rule.re.exec(text)
        if (m && (!rule.validate || rule.validate(m[0]))) {
          const end = i + m[0].length
          out.push({ detector: rule.detector, start: m[1] === undefined ? i : end - m[1].length, end })
          next = end
        }
      }
      i = text.indexOf(rule.prefix, next)
    }
  }
}

//#endregion

//#region private keys

const pemBegin = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/y
const pemBody = /[A-Za-z0-9+/=\s\\:-]{64,}/y

function scanPrivateKeys(text: string, out: Finding[]): void {
  let i = text.indexOf('-----BEGIN ')
  while (i !== -1) {
    pemBegin.lastIndex = i
    const m = pemBegin.exec(text)
    let next = i + 11
    if (m) {
      const after = i + m[0].length
      const endAt = text.indexOf('-----END ', after)
      const close = endAt === -1 || endAt - after > 16_384 ? -1 : text.indexOf('-----', endAt + 9)
      if (close !== -1 && close - endAt < 60 && endAt - after >= 32) {
        out.push({ detector: 'private_key', start: i, end: close + 5 })
        next = close + 5
      } else {
        // A key cut off before its END line: everything key-like after the header.
        pemBody.lastIndex = after
        const body = pemBody.exec(text)
        if (body) {
          out.push({ detector: 'private_key', start: i, end: after + body[0].length })
          next = after + body[0].length
        }
      }
    }
    i = text.indexOf('-----BEGIN ', next)
  }
}

//#endregion

//#region .env-style assignments

/** Uppercase (or lowercase) words a secret's variable name contains; each hit is checked where it stands. */
const envHints = ['SECRET', 'PASSW', 'TOKEN', 'KEY', 'CREDENTIAL', 'secret', 'passw', 'token', 'api_key', 'apikey', 'access_key', 'private_key']
const secretWords = new Set(['SECRET', 'PASSWORD', 'PASSWD', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PASS'])
const keyQualifiers = new Set(['API', 'ACCESS', 'PRIVATE', 'SECRET', 'AUTH', 'SIGNING', 'ENCRYPTION', 'MASTER', 'CLIENT'])
/** A name ending in one of these holds something about the secret, not the secret (`TOKEN_URL`, `MAX_TOKENS`). */
const notSecretTails = new Set(['URL', 'URI', 'ENDPOINT', 'FILE', 'PATH', 'DIR', 'NAME', 'TYPE', 'LIMIT', 'COUNT', 'LENGTH', 'SIZE', 'TTL', 'EXPIRY', 'EXPIRES', 'HEADER', 'FIELD', 'PARAM', 'ID', 'REF', 'ENV', 'VAR', 'PROMPT', 'HINT', 'POLICY', 'ENABLED', 'REQUIRED'])
const envValue = /["']?[ \t]{0,4}([=:])[ \t]{0,4}(["']?)([^\s"'`\\,;]{1,512})/y
const placeholderValue = /^(?:\$|<|%|\{\{|\*+$|x+$|X+$|\.\.\.|true$|false$|null$|none$|undefined$|your[-_]|changeme$|example|redacted|\[REDACTED)/i

const isNameChar = (c: number) => isUpper(c) || isLower(c) || isDigit(c) || c === 95

function isSecretName(name: string): boolean {
  const upper = name.toUpperCase()
  if (upper !== name && name.toLowerCase() !== name) return false // mixedCase is prose or code, not .env
  const parts = upper.split('_').filter(Boolean)
  const tail = parts.at(-1)
  if (!tail || notSecretTails.has(tail)) return false
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k] as string
    if (secretWords.has(p)) return true
    if (p === 'KEY' && k > 0 && keyQualifiers.has(parts[k - 1] as string)) return true
  }
  return false
}

function scanEnv(text: string, out: Finding[]): void {
  for (const hint of envHints) {
    let i = text.indexOf(hint)
    while (i !== -1) {
      let s = i
      while (s > 0 && isNameChar(text.charCodeAt(s - 1))) s--
      let e = i + hint.length
      while (e < text.length && isNameChar(text.charCodeAt(e))) e++
      const before = s > 0 ? text.charCodeAt(s - 1) : 32
      // Not a property access or part of a longer token (`obj.TOKEN=`, `-TOKEN=`, `$TOKEN`).
      if (before !== 46 && before !== 45 && before !== 36 && isSecretName(text.slice(s, e))) {
        envValue.lastIndex = e
        const m = envValue.exec(text)
        if (m && acceptEnvValue(m[3] as string, m[1] === ':')) {
          const end = e + m[0].length
          out.push({ detector: 'env_secret', start: end - (m[3] as string).length, end })
        }
      }
      i = text.indexOf(hint, e)
    }
  }
}

function acceptEnvValue(v: string, colon: boolean): boolean {
  if (v.length < 3 || placeholderValue.test(v)) return false
  if (/^\d+$/.test(v) && v.length < 8) return false // TOKEN_BUDGET=4096
  // `name: value` is also prose and YAML structure: only a value that looks generated.
  if (colon) return v.length >= 8 && /\d/.test(v) && /[A-Za-z]/.test(v)
  return true
}

//#endregion

//#region emails

/** File names look like addresses (`icon@2x.png`): these are not top-level domains. */
const fileExtensions = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'js', 'ts', 'tsx', 'jsx', 'mjs', 'cjs', 'json', 'css', 'map', 'py', 'md', 'txt', 'lock', 'yaml', 'yml'])
const emailDomain = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}([A-Za-z]{2,24})(?![A-Za-z0-9-])/y

function scanEmails(text: string, out: Finding[]): void {
  let at = text.indexOf('@')
  while (at !== -1) {
    let s = at
    while (s > 0 && at - s < 64) {
      const c = text.charCodeAt(s - 1)
      if (isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45) s--
      else break
    }
    // The local part may not start or end with a dot.
    while (s < at && text.charCodeAt(s) === 46) s++
    let next = at + 1
    if (s < at && text.charCodeAt(at - 1) !== 46) {
      emailDomain.lastIndex = at + 1
      const m = emailDomain.exec(text)
      if (m && !fileExtensions.has((m[1] as string).toLowerCase())) {
        const end = at + 1 + m[0].length
        out.push({ detector: 'email', start: s, end })
        next = end
      }
    }
    at = text.indexOf('@', next)
  }
}

//#endregion

//#region numbers: cards, phones, SSNs, IBANs

/** A run of digits joined by single separators (space, `-`, `.`, parentheses), optionally after `+` or `(`. */
const numberRun = /[+(]?\d(?:[\d().-]| (?=[\d(]))*\d/g

function scanNumbers(text: string, on: DetectorSet, out: Finding[]): void {
  const cards = on.has('credit_card')
  const phones = on.has('phone')
  const ssns = on.has('us_ssn')
  const ibans = on.has('iban')
  numberRun.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = numberRun.exec(text)) !== null) {
    const run = m[0]
    const start = m.index
    const end = start + run.length
    const before = start > 0 ? text.charCodeAt(start - 1) : 32
    if (ibans && start >= 2 && isUpper(text.charCodeAt(start - 1)) && isUpper(text.charCodeAt(start - 2))) {
      const iban = matchIban(text, start - 2)
      if (iban !== -1) {
        out.push({ detector: 'iban', start: start - 2, end: iban })
        numberRun.lastIndex = iban
        continue
      }
    }
    if (run.length < 9) continue // nothing below is shorter than 123-45-6789
    const after = end < text.length ? text.charCodeAt(end) : 32
    // Part of a word, an identifier, a version or a hex string (UUIDs, hashes, v1.2.3): not a number of interest.
    if (isWordish(before) && before !== 45) continue
    if (before === 45 || before === 46 || before === 47 || before === 58) continue
    if (isAlnum(after) || after === 95 || (after === 46 && isDigit(text.charCodeAt(end + 1))) || after === 47) continue
    const kind = classifyNumber(run, cards, phones, ssns)
    if (kind) out.push({ detector: kind, start, end })
  }
}

const ssnShape = /^(\d{3})-(\d{2})-(\d{4})$/
const nanpShape = /^(?:\+?1[ -])?(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)([ .-]))([2-9]\d\d)([ .-])(\d{4})$/
const cardShape = /^\d{4}([ -]?)\d{4}\1\d{4}\1\d{1,7}$|^\d{4}([ -]?)\d{6}\2\d{4,5}$|^\d{13,19}$/

export function classifyNumber(run: string, cards: boolean, phones: boolean, ssns: boolean): GuardrailDetector | null {
  if (ssns) {
    const s = ssnShape.exec(run)
    if (s) return validSsn(s[1] as string, s[2] as string, s[3] as string) ? 'us_ssn' : null
  }
  if (cards && cardShape.test(run)) {
    const digits = run.replace(/[ -]/g, '')
    if (digits.length >= 13 && digits.length <= 19 && knownCardPrefix(digits) && luhn(digits)) return 'credit_card'
  }
  if (phones) {
    const n = nanpShape.exec(run)
    // Separators must agree: 555-123-4567, 555.123.4567, (555) 123-4567; not 555-123.4567.
    if (n && (n[3] === undefined || n[3] === n[5])) return 'phone'
    if (run.charCodeAt(0) === 43 && run.charCodeAt(1) !== 48) {
      let d = 0
      for (let k = 0; k < run.length; k++) if (isDigit(run.charCodeAt(k))) d++
      // E.164: a country code and up to 15 digits; a dotted run after + is a version or an address, not a phone.
      if (d >= 8 && d <= 15 && !run.includes('..') && !/^\+\d{1,3}\.\d+\.\d+/.test(run)) return 'phone'
    }
  }
  return null
}

export function validSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area)
  if (a === 0 || a === 666 || a >= 900) return false
  if (group === '00' || serial === '0000') return false
  // Numbers the SSA voided after they were printed in advertising, and the classic example.
  const whole = `${area}-${group}-${serial}`
  return whole !== '078-05-1120' && whole !== '219-09-9999' && whole !== '123-45-6789'
}

export function luhn(digits: string): boolean {
  let sum = 0
  let double = false
  for (let k = digits.length - 1; k >= 0; k--) {
    let d = digits.charCodeAt(k) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** Visa, Mastercard (51-55, 2221-2720), Amex, Discover, JCB, Diners, UnionPay, Maestro. */
function knownCardPrefix(d: string): boolean {
  const two = Number(d.slice(0, 2))
  const four = Number(d.slice(0, 4))
  if (d[0] === '4') return d.length === 13 || d.length === 16 || d.length === 19
  if (two >= 51 && two <= 55) return d.length === 16
  if (four >= 2221 && four <= 2720) return d.length === 16
  if (two === 34 || two === 37) return d.length === 15
  if (two === 36 || two === 38 || two === 30) return d.length >= 14 && d.length <= 19
  if (d.startsWith('6011') || two === 65 || (four >= 6440 && four <= 6499)) return d.length >= 16
  if (two === 35 || two === 62) return d.length >= 16
  if (two === 50 || (two >= 56 && two <= 69)) return d.length >= 12
  return false
}

/** IBAN lengths by country (ISO 13616 registry). */
const ibanLength: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22,
  VG: 24, XK: 20,
}

/** At `s` (two capitals, two digits): the end of a valid IBAN (compact or grouped by spaces), or -1. */
function matchIban(text: string, s: number): number {
  if (s > 0 && isWordish(text.charCodeAt(s - 1))) return -1
  const want = ibanLength[text.slice(s, s + 2)]
  if (!want) return -1
  let compact = ''
  let k = s
  while (k < text.length && compact.length < want) {
    const c = text.charCodeAt(k)
    if (isDigit(c) || isUpper(c)) compact += text[k]
    else if (c !== 32 || compact.length % 4 !== 0 || compact.length === 0) break
    k++
  }
  if (compact.length !== want) return -1
  if (k < text.length && isAlnum(text.charCodeAt(k))) return -1
  return ibanChecksumOk(compact) ? k : -1
}

export function ibanChecksumOk(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4)
  let rem = 0
  for (let k = 0; k < moved.length; k++) {
    const c = moved.charCodeAt(k)
    if (isDigit(c)) rem = (rem * 10 + (c - 48)) % 97
    else rem = (rem * 100 + (c - 55)) % 97
  }
  return rem === 1
}

//#endregion

/**
 * Every finding of the enabled detectors in `text`, ordered by position, overlaps resolved (the earlier
 * and then the longer span wins, so a key inside an `.env` line is reported once).
 */
export function scanText(text: string, on: DetectorSet): Finding[] {
  const out: Finding[] = []
  scanPrefixed(text, on, out)
  if (on.has('private_key')) scanPrivateKeys(text, out)
  if (on.has('env_secret')) scanEnv(text, out)
  if (on.has('email')) scanEmails(text, out)
  if (on.has('credit_card') || on.has('phone') || on.has('us_ssn') || on.has('iban')) scanNumbers(text, on, out)
  if (out.length < 2) return out
  out.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: Finding[] = []
  let reach = -1
  for (const f of out) {
    if (f.start < reach) continue
    kept.push(f)
    reach = f.end
  }
  return kept
}
