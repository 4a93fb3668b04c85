/** Checks an integration's settings against what its provider kind needs, with the field at fault named. */
import { azureEndpoint } from '../providers/azureOpenai.ts'
import type { ProviderSpec } from '../providers/provider.ts'
import type { IntegrationSettings } from '../../preload/contract.ts'
import { ControlError } from './ControlError.ts'

/** `hasApiKey`: a secret is given or already stored; `secret`: the one given now, when there is one. */
export function validateIntegration(spec: ProviderSpec, settings: IntegrationSettings, hasApiKey: boolean, secret?: string): void {
  if (spec.needsApiKey && !hasApiKey && !settings.useClientAuthorization) throw new ControlError('invalid_input', `${spec.name} needs an apiKey`, 'apiKey')
  if (spec.id === 'bedrock' || spec.id === 'vertex') {
    if (settings.useClientAuthorization) {
      throw new ControlError('invalid_input', `${spec.name} signs its own requests; it cannot forward the client's Authorization`, 'settings.useClientAuthorization')
    }
    if (spec.id === 'bedrock') return validateBedrock(settings, hasApiKey)
    return validateVertex(settings, hasApiKey, secret)
  }
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

/** Keys need a region to sign with; a profile may carry its own. */
function validateBedrock(settings: IntegrationSettings, hasKeys: boolean): void {
  if (!hasKeys && settings.awsProfile === undefined) {
    throw new ControlError(
      'invalid_input',
      'AWS Bedrock needs credentials {"accessKeyId", "secretAccessKey", "sessionToken"?} or settings.awsProfile (a profile in ~/.aws/config)',
      'credentials',
    )
  }
  if (settings.awsProfile === undefined && !settings.awsRegion) {
    throw new ControlError('invalid_input', 'AWS Bedrock needs settings.awsRegion (e.g. us-east-1) to sign with access keys', 'settings.awsRegion')
  }
}

/** A project is needed in every URL: from settings, or the service-account key being stored. */
function validateVertex(settings: IntegrationSettings, hasCredentials: boolean, secret: string | undefined): void {
  if (settings.gcpProject) return
  let fromKey: unknown
  try {
    fromKey = secret === undefined ? undefined : (JSON.parse(secret) as { project_id?: unknown }).project_id
  } catch {
    fromKey = undefined
  }
  if (typeof fromKey === 'string' && fromKey) return
  // Credentials stored earlier may carry the project; the call says so clearly if they do not.
  if (secret === undefined && hasCredentials) return
  throw new ControlError(
    'invalid_input',
    secret === undefined
      ? 'Vertex AI with application-default credentials needs settings.gcpProject'
      : 'Vertex AI needs settings.gcpProject: these credentials name no project_id',
    'settings.gcpProject',
  )
}
