/** Input schemas of the desktop commands (pause, top-ups, app settings, login item, Claude Code route); spread into `schemas`. */
import { z } from 'zod'
import { scopeKind } from './governanceSchemas.ts'

const none = z.object({}).strict()
const id = z.string().min(1).max(200)
const target = z.string().regex(/^@[a-z0-9][a-z0-9_-]{0,62}\/.+$/, 'use @provider-slug/model or @provider-slug/*')
const micros = z.number().int().positive().max(1_000_000_000_000)

export const desktopSchemas = {
  'gateway:state': none,
  'gateway:setPaused': z.object({ paused: z.boolean() }).strict(),
  'budgets:topUp': z.object({ scope: scopeKind, id, amountMicros: micros.optional() }).strict(),
  'budgets:grants': z.object({ since: z.number().int().min(0).optional(), scope: scopeKind.optional(), id: id.optional() }).strict(),
  'app:settings:get': none,
  'app:settings:set': z
    .object({
      topUpMicros: micros.optional(),
      notifications: z.boolean().optional(),
      claudeRoutes: z.array(z.object({ name: z.string().min(1).max(60), target }).strict()).max(20).optional(),
    })
    .strict(),
  'app:loginItem:get': none,
  'app:loginItem:set': z.object({ enabled: z.boolean() }).strict(),
  'claudeRoute:get': none,
  'claudeRoute:set': z.object({ name: z.string().min(1).max(60) }).strict(),
} as const
