/**
 * Clients see the model name they asked for. When an alias (or a config's override) sent a bare
 * name to another model, a passthrough answer still names the upstream's model: its `model` fields
 * are rewritten here, in whole bodies and event by event in streams. Translated answers get the
 * name through `ReplyOptions.model` instead. `@slug/model` requests keep the upstream's name.
 */
import { StringDecoder } from 'node:string_decoder'
import type { Call, Route } from './types.ts'

/** The name to show instead of the upstream's, or null when nothing needs rewriting (the common case). */
export function shownModel(call: Call, route: Route): string | null {
  const asked = call.model
  if (!asked || asked.startsWith('@') || asked === route.model) return null
  return asked
}

// A `"model": "…"` member of a JSON object: preceded by `{` or `,`, so never text inside a string,
// where every quote is escaped.
const modelMember = /(?<=[{,]\s*)"model"\s*:\s*"(?:[^"\\]|\\.)*"/g

export function rewriteModel(json: string, model: string): string {
  if (!json.includes('"model"')) return json
  const member = `"model":${JSON.stringify(model)}`
  return json.replace(modelMember, () => member)
}

export type ModelRewriter = { push(chunk: Buffer | string): string; end(): string }

/** For SSE: holds bytes back only to the end of the current line, so a `model` field is never cut in two. */
export function createModelRewriter(model: string): ModelRewriter {
  const decoder = new StringDecoder('utf8')
  let pending = ''
  return {
    push(chunk) {
      const text = pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk))
      const cut = text.lastIndexOf('\n') + 1
      pending = text.slice(cut)
      return cut ? rewriteModel(text.slice(0, cut), model) : ''
    },
    end() {
      const rest = pending + decoder.end()
      pending = ''
      return rewriteModel(rest, model)
    },
  }
}
