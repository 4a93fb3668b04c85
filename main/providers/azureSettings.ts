/** Azure OpenAI's own settings: its endpoint (or resource name), API version and deployments, and their checks. */
import { z } from 'zod'
import type { IntegrationSettings } from '../../preload/contract.ts'
import { httpUrl } from './httpUrl.ts'
import type { ProviderSettings, SettingsProblem } from './provider.ts'

export const azureDeployment = z
  .object({
    alias: z.string().min(1),
    deployment: z.string().min(1),
    model: z.string().min(1).optional(),
    isDefault: z.boolean().optional(),
  })
  .strict()

export function azureEndpoint(settings: IntegrationSettings): string | null {
  if (settings.azureEndpoint) return settings.azureEndpoint.replace(/\/+$/, '')
  if (settings.azureResourceName) return `https://${settings.azureResourceName}.openai.azure.com`
  return null
}

function check(settings: IntegrationSettings): SettingsProblem | undefined {
  if (!azureEndpoint(settings)) {
    return { message: 'Azure OpenAI needs settings.azureEndpoint (https://<resource>.openai.azure.com) or settings.azureResourceName', path: 'settings.azureEndpoint' }
  }
  const deployments = settings.azureDeployments ?? []
  if (deployments.length === 0) return { message: 'Azure OpenAI needs at least one deployment in settings.azureDeployments', path: 'settings.azureDeployments' }
  const aliases = new Set<string>()
  for (const [i, d] of deployments.entries()) {
    if (aliases.has(d.alias)) return { message: `alias '${d.alias}' is used twice`, path: `settings.azureDeployments[${i}].alias` }
    aliases.add(d.alias)
  }
  if (deployments.filter((d) => d.isDefault).length > 1) return { message: 'only one deployment can be the default', path: 'settings.azureDeployments' }
  return undefined
}

export const azureSettings = {
  fields: {
    azureEndpoint: httpUrl.optional(),
    azureResourceName: z.string().regex(/^[a-zA-Z0-9-]+$/).optional(),
    azureApiVersion: z.string().min(1).optional(),
    azureDeployments: z.array(azureDeployment).optional(),
  },
  check,
  baseUrl: azureEndpoint,
} satisfies ProviderSettings
