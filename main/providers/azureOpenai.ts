/**
 * Azure OpenAI: one resource, several deployments. Clients pass a deployment's alias as `model`
 * (or nothing, for the default deployment); the deployment goes into the URL and `api-version`
 * into the query. Auth is the `api-key` header.
 * https://learn.microsoft.com/azure/ai-services/openai/reference
 */
import { GatewayError } from '../errors/GatewayError.ts'
import { endpointPath, header, defineProvider, type Endpoint, type ProviderContext } from './provider.ts'
import { openai } from './openai.ts'
import { azureEndpoint, azureSettings } from './azureSettings.ts'

export const defaultAzureApiVersion = '2024-10-21'

export { azureEndpoint }

function resolveDeployment(model: string | undefined, ctx: ProviderContext) {
  const deployments = ctx.settings.azureDeployments ?? []
  const wanted = model ?? ''
  const found =
    deployments.find((d) => d.alias === wanted) ??
    deployments.find((d) => d.deployment === wanted) ??
    (wanted === '' ? (deployments.find((d) => d.isDefault) ?? (deployments.length === 1 ? deployments[0] : undefined)) : undefined)
  if (!found) {
    const aliases = deployments.map((d) => d.alias).join(', ') || 'none configured'
    throw new GatewayError(
      'model_not_found',
      wanted === ''
        ? `no model given and this Azure integration has no default deployment (aliases: ${aliases})`
        : `no Azure deployment has the alias '${wanted}' (aliases: ${aliases})`,
      { param: 'model' },
    )
  }
  return found
}

export const azureOpenai = defineProvider({
  id: 'azure-openai',
  name: 'Azure OpenAI',
  category: 'azure',
  baseUrl: null,
  authHeaders: header('api-key'),
  streamUsage: 'stream_options',
  endpoints: ['chat', 'completions', 'embeddings', 'models'],
  knownModels: openai.knownModels,
  target(endpoint: Endpoint, model, ctx) {
    const d = resolveDeployment(model, ctx)
    const version = encodeURIComponent(ctx.settings.azureApiVersion ?? defaultAzureApiVersion)
    const base = ctx.baseUrl.replace(/\/+$/, '')
    return {
      url: `${base}/openai/deployments/${encodeURIComponent(d.deployment)}${endpointPath[endpoint]}?api-version=${version}`,
      // Azure reads the deployment from the URL; the body keeps the name the client used.
      model: model ?? d.alias,
      pricingModel: d.model ?? d.alias,
    }
  },
  staticModels: (ctx) => (ctx.settings.azureDeployments ?? []).map((d) => d.alias),
  catalogId: 'azure',
  settings: azureSettings,
  docs: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
})

/**
 * Azure named per request, Portkey's way (no catalog integration): `x-portkey-azure-resource-name`
 * (or a custom host: the resource endpoint, with or without Portkey's `/openai` suffix),
 * `x-portkey-azure-deployment-id`, `x-portkey-azure-api-version` and, for pricing,
 * `x-portkey-azure-model-name`. The caller's key goes as `api-key`, an Entra token
 * (`x-portkey-azure-ad-token`) as Bearer. Throws when the request does not say enough.
 */
export function azureFromHeaders(get: (name: string) => string | undefined, customHost: string | undefined, model: string | undefined): ProviderContext {
  const resource = get('x-portkey-azure-resource-name')
  const deployment = get('x-portkey-azure-deployment-id')
  if (!deployment) throw new GatewayError('invalid_request', 'x-portkey-provider azure-openai needs x-portkey-azure-deployment-id (or use an Azure integration: @slug)')
  const baseUrl = customHost ? customHost.replace(/\/+$/, '').replace(/\/openai$/, '') : resource ? `https://${encodeURIComponent(resource)}.openai.azure.com` : null
  if (!baseUrl) throw new GatewayError('invalid_request', 'x-portkey-provider azure-openai needs x-portkey-azure-resource-name or x-portkey-custom-host')
  const underlying = get('x-portkey-azure-model-name') ?? model
  const version = get('x-portkey-azure-api-version')
  return {
    baseUrl,
    settings: {
      ...(version ? { azureApiVersion: version } : {}),
      azureDeployments: [{ alias: deployment, deployment, ...(underlying ? { model: underlying } : {}), isDefault: true }],
    },
  }
}
