/**
 * Checks an integration's settings against what its provider kind needs, with the field at fault
 * named. What only one provider needs (a cloud's region, project or endpoint) is checked by that
 * provider's own settings (`spec.settings.check`, e.g. providers/aws/bedrockSettings.ts).
 */
import type { ProviderSpec } from '../providers/provider.ts'
import type { IntegrationSettings } from '../../preload/contract.ts'
import { ControlError } from './ControlError.ts'

/** `hasApiKey`: a secret is given or already stored; `secret`: the one given now, when there is one. */
export function validateIntegration(spec: ProviderSpec, settings: IntegrationSettings, hasApiKey: boolean, secret?: string): void {
  if (spec.needsApiKey && !hasApiKey && !settings.useClientAuthorization) throw new ControlError('invalid_input', `${spec.name} needs an apiKey`, 'apiKey')
  // A provider with its own transport (Bedrock's SigV4, Vertex AI's OAuth) authenticates itself.
  if (spec.transport && settings.useClientAuthorization) {
    throw new ControlError('invalid_input', `${spec.name} signs its own requests; it cannot forward the client's Authorization`, 'settings.useClientAuthorization')
  }
  const problem = spec.settings?.check?.(settings, secret === undefined ? { stored: hasApiKey } : { stored: hasApiKey, secret })
  if (problem) throw new ControlError('invalid_input', problem.message, problem.path)
  if (!spec.baseUrl && !settings.baseUrl && !spec.settings?.baseUrl) {
    throw new ControlError('invalid_input', `${spec.name} needs settings.baseUrl (e.g. http://127.0.0.1:8000/v1)`, 'settings.baseUrl')
  }
}
