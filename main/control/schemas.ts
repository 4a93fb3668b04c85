/**
 * Input schemas for every Control API command (zod). The same schemas validate IPC payloads, admin
 * HTTP bodies and setup files, and generate the OpenAPI document.
 */
import { z } from 'zod'
import { governanceSchemas } from './governanceSchemas.ts'
import { guardrailSchemas } from './guardrailSchemas.ts'
import { networkSchemas } from './networkSchemas.ts'
import { workbenchSchemas } from './workbenchSchemas.ts'
import { desktopSchemas } from './desktopSchemas.ts'
import { httpUrl } from '../providers/httpUrl.ts'
import { providerSettingsFields } from '../providers/registry.ts'
import type { NoDrift, SchemaDrift } from './SchemaDrift.ts'
import { analyticsSchemas } from './analyticsSchemas.ts'

export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit')

export const integrationSettings = z
  .object({
    baseUrl: httpUrl.optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    useClientAuthorization: z.boolean().optional(),
    contextWindow: z.number().int().positive().optional(),
    contextWindows: z.record(z.string(), z.number().int().positive()).optional(),
    contextPolicy: z.enum(['refuse', 'warn']).optional(),
    modelMap: z.record(z.string().min(1), z.string().min(1).regex(/^\S+$/, 'no spaces')).optional(),
    anthropicBetas: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a beta name such as interleaved-thinking-2025-05-14')).optional(),
    // Azure's, Bedrock's, Vertex AI's own fields: each provider's settings file (registry.ts merges them).
    ...providerSettingsFields,
  })
  .strict()

/** Structured credentials (stored in the vault as JSON): AWS access keys or a Google credentials file. */
export const integrationCredentials = z.union([
  z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1).optional() }).strict(),
  z.object({ type: z.enum(['service_account', 'authorized_user']) }).passthrough(),
])

const id = z.string().min(1)
const none = z.object({}).strict()
const workspaceIds = z.array(id).nullable()

export const modelAlias = z
  .object({
    pattern: z.string().min(1).max(200).regex(/^[^@\s]/, 'a pattern is a model name as clients send it (not an @slug)'),
    target: z.string().regex(/^@[a-z0-9][a-z0-9_-]*\/\S+$/, 'a target is @provider-slug/model (or @provider-slug/* to keep the name)'),
  })
  .strict()

/** Filters shared by usage rows and usage aggregates. */
const usageFilter = {
  since: z.number().int().optional(),
  until: z.number().int().optional(),
  workspaceId: id.optional(),
  providerSlug: z.string().optional(),
  model: z.string().optional(),
  status: z.enum(['ok', 'error']).optional(),
}

export const schemas = {
  'system:status': none,
  'providerKinds:list': none,
  'workspaces:list': none,
  'workspaces:create': z.object({ slug, name: z.string().min(1).optional() }).strict(),
  'workspaces:update': z.object({ id, slug: slug.optional(), name: z.string().min(1).optional() }).strict(),
  'integrations:list': z.object({ workspaceId: id.optional(), filter: z.enum(['all', 'connected', 'workspace']).optional() }).strict(),
  'integrations:get': z.object({ id }).strict(),
  'integrations:create': z
    .object({
      slug,
      name: z.string().min(1).optional(),
      kind: z.string().min(1),
      apiKey: z.string().min(1).optional(),
      credentials: integrationCredentials.optional(),
      settings: integrationSettings.optional(),
      workspaceIds: workspaceIds.optional(),
      /** Created inside this workspace: marked workspace-created and, unless workspaceIds says otherwise, provisioned to it only. */
      workspaceId: id.optional(),
    })
    .strict(),
  'integrations:update': z
    .object({
      id,
      slug: slug.optional(),
      name: z.string().min(1).optional(),
      apiKey: z.string().min(1).optional(),
      credentials: integrationCredentials.optional(),
      settings: integrationSettings.optional(),
      workspaceIds: workspaceIds.optional(),
    })
    .strict(),
  'integrations:delete': z.object({ id }).strict(),
  'providers:list': z.object({ integrationId: id.optional() }).strict(),
  'providers:create': z.object({ slug, name: z.string().min(1).optional(), integrationId: id }).strict(),
  'providers:update': z.object({ id, slug: slug.optional(), name: z.string().min(1).optional() }).strict(),
  'providers:delete': z.object({ id }).strict(),
  'models:list': z.object({ providerSlug: slug.optional(), workspaceId: id.optional() }).strict(),
  'models:refresh': z.object({ providerSlug: slug }).strict(),
  'keys:list': z.object({ workspaceId: id.optional() }).strict(),
  'keys:create': z
    .object({
      name: z.string().min(1),
      workspaceId: id.optional(),
      key: z.string().min(20, 'a given key needs at least 20 characters').regex(/^\S+$/, 'no spaces').optional(),
    })
    .strict(),
  'keys:revoke': z.object({ id }).strict(),
  'usage:query': z
    .object({
      ...usageFilter,
      traceId: z.string().optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  'usage:summary': z
    .object({
      groupBy: z.enum(['day', 'provider', 'model', 'workspace', 'apiKey', 'project', 'branch']).optional(),
      ...usageFilter,
      timeZone: z
        .string()
        .refine((tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz })
            return true
          } catch {
            return false
          }
        }, 'not a known IANA time zone')
        .optional(),
    })
    .strict(),
  'config:apply': z.object({ document: z.unknown(), env: z.record(z.string(), z.string()).optional() }).strict(),
  ...governanceSchemas,
  ...guardrailSchemas,
  ...networkSchemas,
  ...workbenchSchemas,
  'attribution:get': z.object({}).strict(),
  'attribution:set': z.object({ enabled: z.boolean().optional() }).strict(),
  'selfTest:run': z
    .object({ profile: z.enum(['claude-code', 'codex', 'openai-sdk']), model: z.string().min(1), workspaceId: id.optional(), confirm: z.boolean().optional() })
    .strict(),
  ...desktopSchemas,
  ...analyticsSchemas,
  'configs:list': none,
  'configs:get': z.object({ id, version: z.number().int().positive().optional() }).strict(),
  'configs:create': z.object({ slug, name: z.string().min(1).optional(), config: z.record(z.string(), z.unknown()) }).strict(),
  'configs:update': z.object({ id, slug: slug.optional(), name: z.string().min(1).optional(), config: z.record(z.string(), z.unknown()).optional() }).strict(),
  'configs:delete': z.object({ id }).strict(),
  'configs:validate': z.object({ config: z.unknown() }).strict(),
  'aliases:list': z.object({ workspaceId: id.optional(), apiKeyId: id.optional() }).strict(),
  'aliases:set': z.object({ workspaceId: id.optional(), apiKeyId: id.optional(), aliases: z.array(modelAlias).max(200) }).strict(),
} as const

export type Schemas = typeof schemas

/** A tsc error naming the command whenever a schema and `Commands` disagree (test/types/contractDrift.ts). */
export type _SchemasMatchContract = NoDrift<SchemaDrift<Schemas>>

/** Turns zod's first issue into `path: message`, the form every caller shows. */
export function describeIssue(issue: { path: PropertyKey[]; message: string }): { path: string; message: string } {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  return { path, message: path ? `${path}: ${issue.message}` : issue.message }
}
