/** Vertex AI's own settings: the Google Cloud project and location, and where the project may come from. */
import { z } from 'zod'
import type { IntegrationSettings } from '../../../preload/contract.ts'
import type { ProviderSettings, SettingsProblem } from '../provider.ts'

/** A project is needed in every URL: from settings, or the service-account key being stored. */
function check(settings: IntegrationSettings, credentials: { stored: boolean; secret?: string }): SettingsProblem | undefined {
  if (settings.gcpProject) return undefined
  const { secret } = credentials
  let fromKey: unknown
  try {
    fromKey = secret === undefined ? undefined : (JSON.parse(secret) as { project_id?: unknown }).project_id
  } catch {
    fromKey = undefined
  }
  if (typeof fromKey === 'string' && fromKey) return undefined
  // Credentials stored earlier may carry the project; the call says so clearly if they do not.
  if (secret === undefined && credentials.stored) return undefined
  return {
    message:
      secret === undefined
        ? 'Vertex AI with application-default credentials needs settings.gcpProject'
        : 'Vertex AI needs settings.gcpProject: these credentials name no project_id',
    path: 'settings.gcpProject',
  }
}

export const vertexSettings = {
  fields: {
    gcpProject: z.string().regex(/^[a-z][a-z0-9.:-]{4,62}$/, 'a Google Cloud project id such as my-project-123').optional(),
    gcpLocation: z.string().regex(/^[a-z]+(-[a-z]+\d*)*$/, 'a Vertex AI location such as us-east5 or global').optional(),
  },
  check,
} satisfies ProviderSettings
