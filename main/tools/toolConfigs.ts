/**
 * What each coding tool needs to use the gateway, as the text of the tool's own config file (merged
 * into what is there: other settings are kept) or, for tools without a plain file, as settings to
 * type in. Pure: files are read and written by `toolFiles.ts`.
 */
import { join } from 'node:path'
import type { ToolId } from '../../preload/contract.ts'
import { yaml } from '../yaml.ts'

export type ToolTarget = { gatewayUrl: string; apiKey: string | null; model: string | null }

export type ToolConfig = {
  name: string
  /** The config file under the home directory, or null: settings are entered in the tool's UI. */
  file: ((home: string) => string) | null
  /** The file's new text given its current text (null: no file yet). */
  merge: ((before: string | null, t: ToolTarget) => string) | null
  manual: (t: ToolTarget) => string
}

const KEY = '<your Switchyard key>'

export const toolIds: ToolId[] = ['claude-code', 'codex', 'continue', 'cline', 'openai']

export const toolConfigs: Record<ToolId, ToolConfig> = {
  'claude-code': {
    name: 'Claude Code',
    file: (home) => join(home, '.claude', 'settings.json'),
    merge(before, t) {
      const json = parseObject(before, 'settings.json')
      const env = typeof json.env === 'object' && json.env !== null && !Array.isArray(json.env) ? (json.env as Record<string, unknown>) : {}
      env.ANTHROPIC_BASE_URL = t.gatewayUrl
      if (t.apiKey) env.ANTHROPIC_AUTH_TOKEN = t.apiKey
      if (t.model) env.ANTHROPIC_MODEL = t.model
      return `${JSON.stringify({ ...json, env }, null, 2)}\n`
    },
    manual: (t) =>
      JSON.stringify({ env: { ANTHROPIC_BASE_URL: t.gatewayUrl, ANTHROPIC_AUTH_TOKEN: KEY, ...(t.model ? { ANTHROPIC_MODEL: t.model } : {}) } }, null, 2),
  },
  codex: {
    name: 'Codex',
    file: (home) => join(home, '.codex', 'config.toml'),
    merge(before, t) {
      const lines = (before ?? '').split('\n')
      const firstSection = lines.findIndex((l) => /^\s*\[/.test(l))
      const top = firstSection === -1 ? lines : lines.slice(0, firstSection)
      const rest = firstSection === -1 ? [] : lines.slice(firstSection)
      const keptTop = top.filter((l) => !/^\s*model_provider\s*=/.test(l) && !(t.model && /^\s*model\s*=/.test(l)))
      const head = [...(t.model ? [`model = ${JSON.stringify(t.model)}`] : []), 'model_provider = "switchyard"', ...keptTop]
      return `${trimEnd([...head, ...dropSection(rest, 'model_providers.switchyard')]).join('\n')}\n\n${codexSection(t)}`
    },
    manual: (t) => `${t.model ? `model = ${JSON.stringify(t.model)}\n` : ''}model_provider = "switchyard"\n\n${codexSection(t)}\n# then: export SWITCHYARD_API_KEY=${KEY}`,
  },
  continue: {
    name: 'Continue',
    file: (home) => join(home, '.continue', 'config.yaml'),
    merge(before, t) {
      const doc = before ? (yaml().parse(before) as unknown) : null
      const config = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : { name: 'Local config', version: '1.0.0', schema: 'v1' }
      const models = Array.isArray(config.models) ? (config.models as Array<Record<string, unknown>>).filter((m) => m?.name !== 'Switchyard') : []
      models.push(continueModel(t, t.apiKey ?? KEY))
      return yaml().stringify({ ...config, models })
    },
    manual: (t) => yaml().stringify({ models: [continueModel(t, KEY)] }),
  },
  cline: {
    name: 'Cline',
    file: null,
    merge: null,
    manual: (t) =>
      `Cline keeps its settings in VS Code: open Cline → Settings → API Provider.\nAPI Provider:  OpenAI Compatible\nBase URL:      ${t.gatewayUrl}/v1\nAPI Key:       ${KEY}\nModel ID:      ${t.model ?? '@provider/model'}`,
  },
  openai: {
    name: 'Generic OpenAI client',
    file: null,
    merge: null,
    manual: (t) => `OPENAI_BASE_URL=${t.gatewayUrl}/v1\nOPENAI_API_KEY=${KEY}\n# model: ${t.model ?? '@provider/model'}`,
  },
}

function codexSection(t: ToolTarget): string {
  return `[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${t.gatewayUrl}/v1"\nenv_key = "SWITCHYARD_API_KEY"\nwire_api = "responses"\n`
}

function continueModel(t: ToolTarget, apiKey: string): Record<string, unknown> {
  return { name: 'Switchyard', provider: 'openai', model: t.model ?? 'gpt-4o', apiBase: `${t.gatewayUrl}/v1`, apiKey, roles: ['chat', 'edit', 'apply'] }
}

/** Removes a `[name]` table (up to the next header) from TOML lines. */
function dropSection(lines: string[], name: string): string[] {
  const out: string[] = []
  let skipping = false
  for (const l of lines) {
    const header = /^\s*\[\[?([^\]]+)\]\]?\s*$/.exec(l)
    if (header) skipping = header[1]?.trim() === name
    if (!skipping) out.push(l)
  }
  return out
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines]
  while (out.length && out[out.length - 1]?.trim() === '') out.pop()
  return out
}

function parseObject(text: string | null, what: string): Record<string, unknown> {
  if (!text || !text.trim()) return {}
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new Error(`${what} is not valid JSON: fix or move it first`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} is not a JSON object`)
  return v as Record<string, unknown>
}

/** Hides credential values in a config file's text (keys, tokens, secrets), keeping their last four characters. */
export function maskSecrets(text: string): string {
  return text.replace(
    /((?:api[_-]?key|token|secret|password)[A-Za-z_]*["']?\s*[:=]\s*["']?)([^"'\s,}]{8,})/gi,
    (_m, head: string, value: string) => `${head}••••${value.slice(-4)}`,
  )
}
