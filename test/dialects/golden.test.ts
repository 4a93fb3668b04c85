/**
 * Cross-dialect golden files (test/dialects/golden/<from>-to-<to>/): documented provider examples in,
 * the other dialect's body or stream out. `request-*` cases translate a caller's request for an upstream;
 * `response-*`, `stream-*` and `error-*` cases translate an upstream's answer for a caller. Streams must give
 * the same bytes however the input is cut. `UPDATE_GOLDEN=1` rewrites the `.out` files (review the diff).
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { DialectId } from '../../main/dialects/canonical.ts'
import type { ReplyOptions, UpstreamOptions } from '../../main/dialects/dialect.ts'
import { dialects, translateError, translateRequest, translateResponse } from '../../main/dialects/translate.ts'
import { splits, translateStream } from './streams.ts'

type CaseOptions = { upstream?: UpstreamOptions; reply?: ReplyOptions; callerRequest?: unknown; status?: number }

const root = fileURLToPath(new URL('./golden/', import.meta.url))
const update = process.env.UPDATE_GOLDEN === '1'
const isDialect = (s: string | undefined): s is DialectId => s === 'openai' || s === 'anthropic' || s === 'responses' || s === 'gemini' || s === 'converse'

/** Streams compare byte for byte; JSON bodies compare as values (key order is not part of the contract). */
function compare(path: string, actual: string): void {
  if (update || !existsSync(path)) writeFileSync(path, actual)
  const expected = readFileSync(path, 'utf8')
  if (path.endsWith('.json')) assert.deepEqual(JSON.parse(actual), JSON.parse(expected))
  else assert.equal(actual, expected)
}

const json = (x: unknown) => JSON.stringify(x, null, 2) + '\n'

for (const direction of readdirSync(root)) {
  const [from, to] = direction.split('-to-')
  if (!isDialect(from) || !isDialect(to)) continue
  const dir = join(root, direction)
  for (const file of readdirSync(dir).sort()) {
    const m = /^(request|response|stream|error)-(.+)\.in\.(json|sse)$/.exec(file)
    if (!m) continue
    const kind = m[1]
    const name = `${m[1]}-${m[2]}`
    const input = readFileSync(join(dir, file), 'utf8')
    const optionsPath = join(dir, `${name}.options.json`)
    const o: CaseOptions = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as CaseOptions) : {}
    const reply: ReplyOptions = { ...o.reply, ...(o.callerRequest ? { request: dialects[to].request.toCanonical(o.callerRequest) } : {}) }

    test(`${from} → ${to}: ${name}`, () => {
      const out = join(dir, `${name}.out.${kind === 'stream' ? 'sse' : 'json'}`)
      if (kind === 'request') compare(out, json(translateRequest(JSON.parse(input), from, to, o.upstream).body))
      else if (kind === 'response') compare(out, json(translateResponse(JSON.parse(input), from, to, reply).body))
      else if (kind === 'error') compare(out, json(translateError(o.status ?? 400, JSON.parse(input), from, to)))
      else {
        const bytes = new TextEncoder().encode(input)
        const [whole, ...rest] = splits(bytes)
        compare(out, translateStream(whole?.chunks ?? [], from, to, reply))
        const expected = readFileSync(out, 'utf8')
        for (const s of rest) assert.equal(translateStream(s.chunks, from, to, reply), expected, s.name)
      }
    })
  }
}
