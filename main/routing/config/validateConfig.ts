/**
 * Validates a routing config (parsed JSON) and says precisely what is wrong, each error at its path
 * (`targets[1].strategy.on_status_codes[0]`), for the admin API and the UI. First the shape
 * (`configSchema.ts`, every zod issue at once, one per unknown key), then, on a well-shaped config,
 * the rules across fields, again all at once:
 *  - a target with `targets` needs a `strategy` (and names no provider of its own: its children do);
 *  - a target without `targets` names a `provider` or a `virtual_key`, except the root when it sets
 *    something else (`retry`, `cache`, `request_timeout`…): the request's headers then name the
 *    provider, as Portkey combines them; its strategy, if any, is `single`;
 *  - fallback / loadbalance / conditional need at least one target; `on_status_codes` is fallback's,
 *    `conditions` and `default` are conditional's;
 *  - conditional needs conditions and a default (Portkey: "conditions and default are required"),
 *    target names unique among siblings, every `then` and the `default` naming one of them, and
 *    queries that compile (`compileQuery.ts`);
 *  - loadbalance weights are ≥ 0 (default 1) and not all 0.
 */
import type { z } from 'zod'
import { compileQuery, type PathError } from './compileQuery.ts'
import { configSchema, unsupportedPortkeyKeys } from './configSchema.ts'
import { formatPath, joinPath } from './joinPath.ts'
import type { PortkeyConfig } from './PortkeyConfig.ts'

export type ConfigError = PathError
export type ValidationResult = { ok: true; config: PortkeyConfig } | { ok: false; errors: ConfigError[] }

export function validateConfig(json: unknown): ValidationResult {
  const parsed = configSchema.safeParse(json)
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error.issues) }
  const errors: ConfigError[] = []
  checkNode(parsed.data, '', errors)
  return errors.length ? { ok: false, errors } : { ok: true, config: parsed.data }
}

function zodErrors(issues: readonly z.core.$ZodIssue[]): ConfigError[] {
  const out: ConfigError[] = []
  for (const issue of issues) {
    const path = formatPath(issue.path)
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const why = Object.hasOwn(unsupportedPortkeyKeys, key) ? unsupportedPortkeyKeys[key] : undefined
        out.push({ path: joinPath(path, key), message: why ? `unsupported key "${key}": ${why}` : `unknown key "${key}"` })
      }
      continue
    }
    out.push({ path, message: issue.message })
  }
  return out
}

function checkNode(node: PortkeyConfig, path: string, errors: ConfigError[]): void {
  const { strategy, targets } = node
  const at = (key: string): string => joinPath(path, key)
  if (targets) {
    if (!strategy) errors.push({ path: at('strategy'), message: 'required: a target with targets needs a strategy (single, fallback, loadbalance or conditional)' })
    if (targets.length === 0) errors.push({ path: at('targets'), message: 'needs at least one target' })
    for (const key of ['provider', 'virtual_key', 'api_key'] as const) {
      if (node[key] !== undefined) errors.push({ path: at(key), message: `a target with targets routes to them: put ${key} on the targets` })
    }
  } else {
    if (node.provider === undefined && node.virtual_key === undefined && !(path === '' && setsSomething(node))) {
      errors.push({ path: at('provider'), message: 'required: a target names a provider ("openai", "@slug") or a virtual_key, or has strategy and targets' })
    }
    if (strategy && strategy.mode !== 'single') errors.push({ path: joinPath(at('strategy'), 'mode'), message: `${strategy.mode} needs targets` })
  }
  if (strategy) checkStrategy(node, at('strategy'), at('targets'), errors)
  targets?.forEach((t, i) => checkNode(t, joinPath(at('targets'), i), errors))
}

/** A root config without a provider still has a job when it sets anything but a name. */
function setsSomething(node: PortkeyConfig): boolean {
  return Object.entries(node).some(([k, v]) => k !== 'name' && v !== undefined)
}

function checkStrategy(node: PortkeyConfig, path: string, targetsPath: string, errors: ConfigError[]): void {
  const strategy = node.strategy
  if (!strategy) return
  const targets = node.targets ?? []
  const { mode } = strategy
  if (strategy.on_status_codes && mode !== 'fallback') {
    errors.push({ path: joinPath(path, 'on_status_codes'), message: `on_status_codes applies to fallback only (mode is ${mode}); for retries use retry.on_status_codes` })
  }
  if (mode !== 'conditional') {
    if (strategy.conditions) errors.push({ path: joinPath(path, 'conditions'), message: `conditions apply to conditional only (mode is ${mode})` })
    if (strategy.default !== undefined) errors.push({ path: joinPath(path, 'default'), message: `default applies to conditional only (mode is ${mode})` })
  }
  if (mode === 'loadbalance' && targets.length > 0 && targets.every((t) => (t.weight ?? 1) === 0)) {
    errors.push({ path: targetsPath, message: 'every weight is 0: at least one target needs a weight above 0' })
  }
  if (mode !== 'conditional') return

  const names = new Map<string, number>()
  targets.forEach((t, i) => {
    if (t.name === undefined) return
    if (names.has(t.name)) errors.push({ path: joinPath(joinPath(targetsPath, i), 'name'), message: `duplicate target name "${t.name}" (also targets[${names.get(t.name)}])` })
    else names.set(t.name, i)
  })
  const known = (): string => (names.size ? [...names.keys()].map((n) => `"${n}"`).join(', ') : 'none: give the targets a name')
  const conditions = strategy.conditions
  if (!conditions || conditions.length === 0) errors.push({ path: joinPath(path, 'conditions'), message: 'required: conditional needs at least one condition' })
  conditions?.forEach((c, i) => {
    const at = joinPath(joinPath(path, 'conditions'), i)
    compileQuery(c.query, joinPath(at, 'query'), errors)
    if (!names.has(c.then)) errors.push({ path: joinPath(at, 'then'), message: `no target named "${c.then}" (names: ${known()})` })
  })
  if (strategy.default === undefined) errors.push({ path: joinPath(path, 'default'), message: 'required: conditional needs a default target name, used when no condition matches' })
  else if (!names.has(strategy.default)) errors.push({ path: joinPath(path, 'default'), message: `no target named "${strategy.default}" (names: ${known()})` })
}
