/** Checks an integration's settings against what its provider kind needs, with the field at fault named. */
import { azureEndpoint } from '../providers/azureOpenai.ts'
import type { ProviderSpec } from '../providers/provider.ts'
import type { IntegrationSettings } from '../../preload/contract.ts'
import { ControlError } from './ControlError.ts'

export function validateIntegration(spec: ProviderSpec, settings: IntegrationSettings, hasApiKey: boolean): void {
  if (spec.needsApiKey && !hasApiKey && !settings.useClientAuthorization) throw new ControlError('invalid_input', `${spec.name} needs an apiKey`, 'apiKey')
  if (spec.id === 'azure-openai') {
    if (!azureEndpoint(settings)) {
      throw new ControlError('invalid_input', 'Azure OpenAI needs settings.azureEndpoint (https://<resource>.openai.azure.com) or settings.azureResourceName', 'settings.azureEndpoint')
    }
    const deployments = settings.azureDeployments ?? []
    if (deployments.length === 0) {
      throw new ControlError('invalid_input', 'Azure OpenAI needs at least one deployment in settings.azureDeployments', 'settings.azureDeployments')
    }
    const aliases = new Set<string>()
    for (const [i, d] of deployments.entries()) {
      if (aliases.has(d.alias)) throw new ControlError('invalid_input', `alias '${d.alias}' is used twice`, `settings.azureDeployments[${i}].alias`)
      aliases.add(d.alias)
    }
    if (deployments.filter((d) => d.isDefault).length > 1) {
      throw new ControlError('invalid_input', 'only one deployment can be the default', 'settings.azureDeployments')
    }
    return
  }
  if (!spec.baseUrl && !settings.baseUrl) {
    throw new ControlError('invalid_input', `${spec.name} needs settings.baseUrl (e.g. http://127.0.0.1:8000/v1)`, 'settings.baseUrl')
  }
}
