/**
 * Setup as code: applies a YAML/JSON document (workspaces, integrations, providers, API keys) through
 * the same commands the UI uses. Idempotent: applying the same file twice changes nothing. Provider
 * secrets must come from the environment (`${VAR}`), so a setup file never holds a provider key and
 * nothing is ever written back to it.
 */
import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import type { ApplyResult, CommandName, CommandOutput } from '../../preload/contract.ts'
import type { Store } from '../store/Store.ts'
import { ControlError } from './ControlError.ts'
import { describeIssue, integrationSettings, slug } from './schemas.ts'

const envRef = z.string().regex(/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/, 'provider secrets must be environment references like ${OPENAI_API_KEY}')

export const setupDocument = z
  .object({
    version: z.literal(1).optional(),
    workspaces: z.array(z.object({ slug, name: z.string().min(1).optional() }).strict()).optional(),
    integrations: z
      .array(
        z
          .object({
            slug,
            kind: z.string().min(1),
            name: z.string().min(1).optional(),
            apiKey: envRef.optional(),
            settings: integrationSettings.optional(),
            /** Workspace slugs; omitted: every workspace. */
            workspaces: z.array(slug).optional(),
          })
          .strict(),
      )
      .optional(),
    providers: z
      .array(z.object({ slug, integration: slug, name: z.string().min(1).optional() }).strict())
      .optional(),
    /** Model aliases: per workspace (slug) or per API key (name, in its workspace), in order. */
    aliases: z
      .array(
        z
          .object({ workspace: slug.optional(), key: z.string().min(1).optional(), pattern: z.string().min(1), target: z.string().min(1) })
          .strict(),
      )
      .optional(),
    apiKeys: z
      .array(
        z
          .object({
            name: z.string().min(1),
            workspace: slug.optional(),
            /** A literal value or `${VAR}`; omitted: generated once and shown in the result. */
            key: z.string().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict()

export type SetupDocument = z.infer<typeof setupDocument>

type Invoke = <N extends CommandName>(name: N, input: unknown) => Promise<CommandOutput<N>>

function fromEnv(ref: string, env: Record<string, string | undefined>, path: string): string {
  const m = ref.match(/^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/)
  if (!m) return ref
  const value = env[m[1] as string]
  if (value === undefined || value === '') throw new ControlError('invalid_input', `environment variable ${m[1]} is not set`, path)
  return value
}

export async function applyConfig(
  raw: unknown,
  deps: {
    invoke: Invoke
    store: Store
    env: Record<string, string | undefined>
    /** Compares a stored secret with a value without handing the secret out. */
    secretMatches: (secretId: string, value: string) => boolean
  },
): Promise<ApplyResult> {
  const parsed = setupDocument.safeParse(raw)
  if (!parsed.success) {
    const first = describeIssue(parsed.error.issues[0] ?? { path: [], message: 'invalid document' })
    throw new ControlError('invalid_input', first.message, first.path || undefined)
  }
  const doc = parsed.data
  const { invoke, store, env } = deps
  const result: ApplyResult = { created: [], updated: [], unchanged: [], generatedKeys: [] }
  const wsId = (s: string, path: string): string => {
    const w = store.workspaces.getBySlug(s)
    if (!w) throw new ControlError('invalid_input', `no workspace '${s}' (declare it under workspaces)`, path)
    return w.id
  }

  for (const w of doc.workspaces ?? []) {
    const existing = store.workspaces.getBySlug(w.slug)
    if (!existing) {
      await invoke('workspaces:create', w)
      result.created.push(`workspace:${w.slug}`)
    } else if (w.name !== undefined && w.name !== existing.name) {
      await invoke('workspaces:update', { id: existing.id, name: w.name })
      result.updated.push(`workspace:${w.slug}`)
    } else result.unchanged.push(`workspace:${w.slug}`)
  }

  for (const [i, it] of (doc.integrations ?? []).entries()) {
    const apiKey = it.apiKey === undefined ? undefined : fromEnv(it.apiKey, env, `integrations[${i}].apiKey`)
    const workspaceIds = it.workspaces ? it.workspaces.map((s, j) => wsId(s, `integrations[${i}].workspaces[${j}]`)) : null
    const existing = store.integrations.getBySlug(it.slug)
    if (!existing) {
      await invoke('integrations:create', { slug: it.slug, kind: it.kind, name: it.name, apiKey, settings: it.settings, workspaceIds })
      result.created.push(`integration:${it.slug}`)
      continue
    }
    if (existing.kind !== it.kind) {
      throw new ControlError('conflict', `integration '${it.slug}' exists with kind '${existing.kind}', not '${it.kind}'`, `integrations[${i}].kind`)
    }
    const sameKey = apiKey === undefined || (existing.secretId !== null && deps.secretMatches(existing.secretId, apiKey))
    const same =
      sameKey &&
      (it.name === undefined || it.name === existing.name) &&
      isDeepStrictEqual(it.settings ?? {}, existing.settings) &&
      isDeepStrictEqual(workspaceIds === null ? null : [...workspaceIds].sort(), existing.workspaceIds === null ? null : [...existing.workspaceIds].sort())
    if (same) {
      result.unchanged.push(`integration:${it.slug}`)
      continue
    }
    await invoke('integrations:update', {
      id: existing.id,
      name: it.name,
      settings: it.settings ?? {},
      workspaceIds,
      ...(sameKey ? {} : { apiKey }),
    })
    result.updated.push(`integration:${it.slug}`)
  }

  for (const [i, p] of (doc.providers ?? []).entries()) {
    const integration = store.integrations.getBySlug(p.integration)
    if (!integration) throw new ControlError('invalid_input', `no integration '${p.integration}'`, `providers[${i}].integration`)
    const existing = store.providers.getBySlug(p.slug)
    if (!existing) {
      await invoke('providers:create', { slug: p.slug, name: p.name, integrationId: integration.id })
      result.created.push(`provider:@${p.slug}`)
    } else if (existing.integrationId !== integration.id) {
      throw new ControlError('conflict', `provider @${p.slug} belongs to integration '${existing.integrationSlug}'`, `providers[${i}].integration`)
    } else if (p.name !== undefined && p.name !== existing.name) {
      await invoke('providers:update', { id: existing.id, name: p.name })
      result.updated.push(`provider:@${p.slug}`)
    } else result.unchanged.push(`provider:@${p.slug}`)
  }

  for (const [i, k] of (doc.apiKeys ?? []).entries()) {
    const wsSlug = k.workspace ?? 'default'
    const workspaceId = wsId(wsSlug, `apiKeys[${i}].workspace`)
    const label = `key:${wsSlug}/${k.name}`
    const value = k.key === undefined ? undefined : fromEnv(k.key, env, `apiKeys[${i}].key`)
    const live = store.apiKeys.list(workspaceId).filter((r) => r.name === k.name && r.revokedAt === null)
    if (value === undefined) {
      if (live.length > 0) result.unchanged.push(label)
      else {
        const created = await invoke('keys:create', { name: k.name, workspaceId })
        result.created.push(label)
        result.generatedKeys.push({ name: k.name, workspace: wsSlug, key: created.key })
      }
      continue
    }
    const byValue = store.apiKeys.getByKey(value)
    if (byValue && byValue.workspaceId === workspaceId && byValue.name === k.name && byValue.revokedAt === null) {
      result.unchanged.push(label)
      continue
    }
    if (byValue) throw new ControlError('conflict', `that key value is already used by key '${byValue.name}'`, `apiKeys[${i}].key`)
    // A new value for a named key replaces the old one: revoke, then create.
    for (const old of live) await invoke('keys:revoke', { id: old.id })
    await invoke('keys:create', { name: k.name, workspaceId, key: value })
    if (live.length > 0) result.updated.push(label)
    else result.created.push(label)
  }
  // Aliases last: their targets may be providers and keys this same file creates.
  const scopes = new Map<string, { input: { workspaceId?: string; apiKeyId?: string }; label: string; aliases: Array<{ pattern: string; target: string }> }>()
  for (const [i, a] of (doc.aliases ?? []).entries()) {
    const wsSlug = a.workspace ?? 'default'
    const workspaceId = wsId(wsSlug, `aliases[${i}].workspace`)
    let input: { workspaceId?: string; apiKeyId?: string } = { workspaceId }
    let label = `aliases:${wsSlug}`
    if (a.key !== undefined) {
      const key = store.apiKeys.list(workspaceId).find((k) => k.name === a.key && k.revokedAt === null)
      if (!key) throw new ControlError('invalid_input', `no API key '${a.key}' in workspace '${wsSlug}'`, `aliases[${i}].key`)
      input = { apiKeyId: key.id }
      label = `aliases:${wsSlug}/${a.key}`
    }
    const entry = scopes.get(label) ?? { input, label, aliases: [] }
    entry.aliases.push({ pattern: a.pattern, target: a.target })
    scopes.set(label, entry)
  }
  for (const { input, label, aliases } of scopes.values()) {
    const current = await invoke('aliases:list', input)
    if (isDeepStrictEqual(current, aliases)) result.unchanged.push(label)
    else {
      await invoke('aliases:set', { ...input, aliases })
      ;(current.length ? result.updated : result.created).push(label)
    }
  }
  return result
}
