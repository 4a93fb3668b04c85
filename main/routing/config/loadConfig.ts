/**
 * A routing config as Switchyard runs it: Portkey's JSON (validated and compiled here) plus, on its
 * top level only, Switchyard's own `guardrails` set (the same shape as a workspace's), applied on top
 * of the workspace's guardrails to every request the config routes.
 */
import { guardrailSet } from '../../guardrails/guardrailSet.ts'
import { compileGuardrails, type CompiledGuardrails } from '../../guardrails/guardrails.ts'
import type { GuardrailSet } from '../../../preload/contract.ts'
import { compileConfig, type ConfigPlan } from './compileConfig.ts'
import { validateConfig, type ConfigError } from './configSchema.ts'

export type LoadedConfig = { plan: ConfigPlan; guardrails: CompiledGuardrails | null }

export function loadConfig(json: unknown): { ok: true; config: LoadedConfig } | { ok: false; errors: ConfigError[] } {
  let rest = json
  let guardrails: CompiledGuardrails | null = null
  if (json && typeof json === 'object' && !Array.isArray(json) && 'guardrails' in json) {
    const { guardrails: raw, ...others } = json as Record<string, unknown>
    rest = others
    const parsed = guardrailSet.safeParse(raw)
    if (!parsed.success) {
      return { ok: false, errors: parsed.error.issues.map((i) => ({ path: ['guardrails', ...i.path.map(String)].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]'), message: i.message })) }
    }
    try {
      guardrails = compileGuardrails(parsed.data as GuardrailSet)
    } catch (err) {
      return { ok: false, errors: [{ path: 'guardrails', message: (err as Error).message }] }
    }
  }
  const v = validateConfig(rest)
  if (!v.ok) return v
  return { ok: true, config: { plan: compileConfig(v.config), guardrails } }
}
