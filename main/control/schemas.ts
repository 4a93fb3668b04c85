/**
 * Input schemas for every Control API command (zod). The same schemas validate IPC payloads, admin
 * HTTP bodies and setup files, and generate the OpenAPI document.
 */
import { z } from 'zod'
import { governanceSchemas } from './governanceSchemas.ts'
import { guardrailSchemas } from './guardrailSchemas.ts'
import { networkSchemas } from './networkSchemas.ts'
import { analyticsSchemas } from './analyticsSchemas.ts'

export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit')

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')

export const azureDeployment = z
  .object({
    alias: z.string().min(1),
    deployment: z.string().min(1),
    model: z.string().min(1).optional(),
    isDefault: z.boolean().optional(),
  })
  .strict()

export const integrationSettings = z
  .object({
    baseUrl: httpUrl.optional(),
    azureEndpoint: httpUrl.optional(),
    azureResourceName: z.string().regex(/^[a-zA-Z0-9-]+$/).optional(),
    azureApiVersion: z.string().min(1).optional(),
    azureDeployments: z.array(azureDeployment).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs: z.number().int().positive().optional(),
    useClientAuthorization: z.boolean().optional(),
    contextWindow: z.number().int().positive().optional(),
    contextWindows: z.record(z.string(), z.number().int().positive()).optional(),
    contextPolicy: z.enum(['refuse', 'warn']).optional(),
    awsRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1').optional(),
    awsProfile: z.string().regex(/^[\w.@+-]{1,128}$/, 'a profile name from ~/.aws/config').optional(),
    gcpProject: z.string().regex(/^[a-z][a-z0-9.:-]{4,62}$/, 'a Google Cloud project id such as my-project-123').optional(),
    gcpLocation: z.string().regex(/^[a-z]+(-[a-z]+\d*)*$/, 'a Vertex AI location such as us-east5 or global').optional(),
    modelMap: z.record(z.string().min(1), z.string().min(1).regex(/^\S+$/, 'no spaces')).optional(),
    anthropicBetas: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a beta name such as interleaved-thinking-2025-05-14')).optional(),
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
      groupBy: z.enum(['day', 'provider', 'model', 'workspace', 'apiKey']),
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

/** Turns zod's first issue into `path: message`, the form every caller shows. */
export function describeIssue(issue: { path: PropertyKey[]; message: string }): { path: string; message: string } {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  return { path, message: path ? `${path}: ${issue.message}` : issue.message }
}
