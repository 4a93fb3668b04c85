/**
 * Guardrail sets, compiled once (when the routing table is built) and run per call: `inspectRequest`
 * before the request goes upstream, `inspectResponse` on a non-streamed answer before the client sees
 * it. Everything runs here, on the device. Results name the check, the action, how many findings and
 * where, never what was found.
 *
 * One scan per stage: the content strings of the body are joined (NUL-separated, which no detector
 * crosses) and every detector any check needs runs once over the whole; findings are mapped back to
 * their strings and shared out to the checks that asked for those detectors.
 */
import { z } from 'zod'
import type { GuardrailAction, GuardrailCheck, GuardrailDetector, GuardrailResult, GuardrailSet } from '../../preload/contract.ts'
import type { Endpoint } from '../providers/provider.ts'
import { hasRequestText, hasResponseText, mapRequestText, mapResponseText, type Where } from './bodyText.ts'
import { detectorLabel, detectorName, piiDetectors, scanText, secretDetectors, type Finding } from './detectors.ts'

export type { GuardrailSet }

type Span = { check: number; label: string; start: number; end: number; detector?: GuardrailDetector }

export type CompiledCheck = {
  id: string
  action: GuardrailAction
  /** Finds spans (redactable) in the joined text. */
  find?: (text: string, lower: () => string) => Array<{ start: number; end: number }>
  /** Secrets / PII: the detectors this check wants. */
  detectors?: ReadonlySet<GuardrailDetector>
  /** A condition on the whole text: a reason it fails, or null. */
  condition?: (text: string) => string | null
  label: string
}

export type CompiledGuardrails = {
  input: CompiledCheck[]
  output: CompiledCheck[]
  inputDetectors: ReadonlySet<GuardrailDetector>
  outputDetectors: ReadonlySet<GuardrailDetector>
}

/** Checks a guardrail set's meaning (regexes compile, schemas convert); throws an Error naming the check. */
export function compileGuardrails(set: GuardrailSet): CompiledGuardrails {
  const input = (set.input ?? []).map((c, i) => compileCheck(c, `input[${i}]`))
  const output = (set.output ?? []).map((c, i) => compileCheck(c, `output[${i}]`))
  const union = (checks: CompiledCheck[]) => new Set(checks.flatMap((c) => [...(c.detectors ?? [])]))
  return { input, output, inputDetectors: union(input), outputDetectors: union(output) }
}

function compileCheck(c: GuardrailCheck, path: string): CompiledCheck {
  const id = c.id ?? c.type
  const label = id.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '') || 'MATCH'
  switch (c.type) {
    case 'secrets':
    case 'pii': {
      const family: readonly GuardrailDetector[] = c.type === 'secrets' ? secretDetectors : piiDetectors
      return { id, action: c.action, label, detectors: new Set(c.detectors?.length ? c.detectors : family) }
    }
    case 'regex': {
      let re: RegExp
      try {
        re = new RegExp(c.pattern, [...new Set(((c.flags ?? '') + 'g').split(''))].filter((f) => 'gimsuv'.includes(f)).join(''))
      } catch (err) {
        throw new Error(`${path}.pattern: ${(err as Error).message}`, { cause: err })
      }
      if (c.mode === 'require') return { id, action: c.action, label, condition: (t) => (new RegExp(re.source, re.flags.replace('g', '')).test(t) ? null : 'no match for the required pattern') }
      return {
        id,
        action: c.action,
        label,
        find: (text) => {
          const out: Array<{ start: number; end: number }> = []
          re.lastIndex = 0
          let m: RegExpExecArray | null
          while ((m = re.exec(text)) !== null) {
            if (m[0].length === 0) {
              re.lastIndex++
              continue
            }
            out.push({ start: m.index, end: m.index + m[0].length })
          }
          return out
        },
      }
    }
    case 'contains': {
      const words = c.caseSensitive ? c.words : c.words.map((w) => w.toLowerCase())
      const hay = (text: string, lower: () => string) => (c.caseSensitive ? text : lower())
      if (c.operator === 'none') {
        return {
          id,
          action: c.action,
          label,
          find: (text, lower) => {
            const h = hay(text, lower)
            const out: Array<{ start: number; end: number }> = []
            for (const w of words) {
              if (!w) continue
              for (let i = h.indexOf(w); i !== -1; i = h.indexOf(w, i + w.length)) out.push({ start: i, end: i + w.length })
            }
            return out
          },
        }
      }
      const any = c.operator === 'any'
      return {
        id,
        action: c.action,
        label,
        condition: (text) => {
          const h = c.caseSensitive ? text : text.toLowerCase()
          const ok = any ? words.some((w) => h.includes(w)) : words.every((w) => h.includes(w))
          return ok ? null : any ? 'contains none of the required words' : 'misses some of the required words'
        },
      }
    }
    case 'length': {
      const unit = c.unit ?? 'characters'
      return {
        id,
        action: c.action,
        label,
        condition: (text) => {
          const n = unit === 'words' ? (text.match(/\S+/g)?.length ?? 0) : text.length
          if (c.min !== undefined && n < c.min) return `${n} ${unit}, fewer than ${c.min}`
          if (c.max !== undefined && n > c.max) return `${n} ${unit}, more than ${c.max}`
          return null
        },
      }
    }
    case 'json_schema': {
      let schema: z.ZodType
      try {
        schema = z.fromJSONSchema(c.schema as Parameters<typeof z.fromJSONSchema>[0])
      } catch (err) {
        throw new Error(`${path}.schema: ${(err as Error).message}`, { cause: err })
      }
      return {
        id,
        action: c.action,
        label,
        condition: (text) => {
          let value: unknown
          try {
            value = JSON.parse(stripFence(text))
          } catch {
            return 'the response is not JSON'
          }
          const r = schema.safeParse(value)
          if (r.success) return null
          const issue = r.error.issues[0]
          return `does not match the schema${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`
        },
      }
    }
  }
}

/** A model often wraps JSON in a Markdown fence. */
function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text)
  return m ? (m[1] as string) : text
}

/** Placeholders of one call: the same value always gets the same `[REDACTED_<LABEL>_<n>]`. */
export type Redactor = { placeholder(label: string, value: string): string }

export function createRedactor(): Redactor {
  const byValue = new Map<string, string>()
  const counters = new Map<string, number>()
  return {
    placeholder(label, value) {
      const key = `${label}\u0000${value}`
      let p = byValue.get(key)
      if (!p) {
        const n = (counters.get(label) ?? 0) + 1
        counters.set(label, n)
        p = `[REDACTED_${label}_${n}]`
        byValue.set(key, p)
      }
      return p
    },
  }
}

/** What a stage decided: the (possibly rewritten) body, the results, and the check that refuses the call, if one does. */
export type Verdict<B> = { body: B; results: GuardrailResult[]; blocked: { check: string; message: string } | null }

type Piece = { text: string; where: Where; offset: number }

const SEP = '\u0000'

/**
 * Runs `checks` over the content strings that `map` reaches. `conditionText` picks the text conditions
 * look at (for responses: the answer's text, not its tool calls).
 */
function inspect<B extends Record<string, unknown>>(
  body: B,
  checks: CompiledCheck[],
  detectors: ReadonlySet<GuardrailDetector>,
  stage: 'input' | 'output',
  map: (body: B, visit: (text: string, where: Where) => string | undefined) => B,
  redactor: Redactor,
): Verdict<B> {
  const pieces: Piece[] = []
  let offset = 0
  map(body, (text, where) => {
    pieces.push({ text, where, offset })
    offset += text.length + 1
    return undefined
  })
  const joined = pieces.map((p) => p.text).join(SEP)
  let lowered: string | null = null
  const lower = () => (lowered ??= joined.toLowerCase())

  const spans: Span[] = []
  if (detectors.size > 0) {
    const found: Finding[] = scanText(joined, detectors)
    checks.forEach((c, i) => {
      if (!c.detectors) return
      for (const f of found) if (c.detectors.has(f.detector)) spans.push({ check: i, label: detectorLabel[f.detector], start: f.start, end: f.end, detector: f.detector })
    })
  }
  const failed = new Map<number, string>()
  let answer: string | null = null
  checks.forEach((c, i) => {
    if (c.find) for (const s of c.find(joined, lower)) if (!joined.slice(s.start, s.end).includes(SEP)) spans.push({ check: i, label: c.label, ...s })
    if (c.condition) {
      answer ??= pieces.filter((p) => p.where === 'response' || stage === 'input').map((p) => p.text).join(stage === 'input' ? '\n' : '')
      const reason = c.condition(answer)
      if (reason) failed.set(i, reason)
    }
  })

  const whereOf = (pos: number): Where => {
    let lo = 0
    let hi = pieces.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((pieces[mid] as Piece).offset <= pos) lo = mid
      else hi = mid - 1
    }
    return (pieces[lo] as Piece).where
  }
  const results: GuardrailResult[] = []
  let blocked: Verdict<B>['blocked'] = null
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i] as CompiledCheck
    const mine = spans.filter((s) => s.check === i)
    const reason = failed.get(i)
    if (mine.length === 0 && !reason) continue
    const where = [...new Set(mine.map((s) => whereOf(s.start)))]
    const found = [...new Set(mine.flatMap((s) => (s.detector ? [s.detector] : [])))]
    const r: GuardrailResult = { check: c.id, stage, action: c.action, count: mine.length || 1, where }
    if (found.length) r.detectors = found
    if (reason) r.reason = reason
    results.push(r)
    if (c.action === 'block' && !blocked) blocked = { check: c.id, message: describe(c.id, stage, found, where, reason, mine.length) }
  }
  if (blocked) return { body, results, blocked }

  // Redact: every span of a redacting check, overlaps resolved (earlier, then longer, wins).
  const redactions = spans.filter((s) => checks[s.check]?.action === 'redact').sort((a, b) => a.start - b.start || b.end - a.end)
  if (redactions.length === 0) return { body, results, blocked: null }
  const byPiece = new Map<number, Span[]>()
  let reach = -1
  let p = 0
  for (const s of redactions) {
    if (s.start < reach) continue
    reach = s.end
    while (p + 1 < pieces.length && (pieces[p + 1] as Piece).offset <= s.start) p++
    const list = byPiece.get(p) ?? []
    list.push(s)
    byPiece.set(p, list)
  }
  let ordinal = 0
  const rewritten = map(body, (text) => {
    const i = ordinal++
    const list = byPiece.get(i)
    if (!list) return undefined
    const base = (pieces[i] as Piece).offset
    let out = ''
    let at = 0
    for (const s of list) {
      const start = s.start - base
      const end = s.end - base
      out += text.slice(at, start) + redactor.placeholder(s.label, text.slice(start, end))
      at = end
    }
    return out + text.slice(at)
  })
  return { body: rewritten, results, blocked: null }
}

function describe(check: string, stage: 'input' | 'output', detectors: GuardrailDetector[], where: string[], reason: string | undefined, count: number): string {
  const subject = stage === 'input' ? 'the request' : 'the response'
  if (reason) return `guardrail '${check}' blocked ${subject}: ${reason}`
  const what = detectors.length ? detectors.map((d) => detectorName[d]).join(', ') : `${count} match${count === 1 ? '' : 'es'}`
  return `guardrail '${check}' blocked ${subject}: it contains ${what}${where.length ? ` (in ${where.join(', ').replace(/_/g, ' ')})` : ''}`
}

/** Before the request: scans the caller's body (its own dialect), redacts or refuses. */
export function inspectRequest(g: CompiledGuardrails, endpoint: Endpoint, body: Record<string, unknown>, redactor: Redactor): Verdict<Record<string, unknown>> {
  if (g.input.length === 0 || !hasRequestText(endpoint)) return { body, results: [], blocked: null }
  return inspect(body, g.input, g.inputDetectors, 'input', (b, visit) => mapRequestText(b, endpoint, visit), redactor)
}

/** After a non-streamed response, in the caller's dialect. */
export function inspectResponse(g: CompiledGuardrails, endpoint: Endpoint, body: Record<string, unknown>, redactor: Redactor): Verdict<Record<string, unknown>> {
  if (g.output.length === 0 || !hasResponseText(endpoint)) return { body, results: [], blocked: null }
  return inspect(body, g.output, g.outputDetectors, 'output', (b, visit) => mapResponseText(b, endpoint, visit), redactor)
}
