/**
 * AWS Bedrock: Claude through InvokeModel / InvokeModelWithResponseStream, every other model (Nova, Llama,
 * Mistral…) through Converse / ConverseStream, chosen by model id (`modelDialect`). Claude speaks Anthropic Messages, so
 * Claude Code and the Anthropic SDK pass through (OpenAI and Responses callers are translated); the
 * transport turns each call into Bedrock's: the body without `model` and `stream`, with
 * `anthropic_version: "bedrock-2023-05-31"` and the caller's betas moved from the `anthropic-beta` header
 * into `anthropic_beta`, keeping only those Bedrock accepts; the model name mapped to a Bedrock id or
 * inference profile; the request SigV4-signed with stored keys or a named profile. Streams come back as
 * the AWS event-stream and are decoded into Anthropic SSE; errors into Anthropic error bodies.
 * Converse models are reached only through translation (the `converse` dialect): the body goes without
 * `model` and `stream` to `/model/{id}/converse` or `/converse-stream`, whose event-stream is decoded
 * into one SSE event per message, and errors get their `x-amzn-ErrorType` folded in as `__type`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html and
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
import { GatewayError } from '../errors/GatewayError.ts'
import { redact } from '../log.ts'
import { anthropicBetas, betaFilter } from './anthropicBetas.ts'
import { awsCredentials, type AwsCredentialSource, type ResolvedAwsCredentials } from './aws/awsCredentials.ts'
import { AwsCredentialsError } from './aws/AwsCredentialsError.ts'
import { bedrockError } from './aws/bedrockError.ts'
import { bedrockModelId, claudeOnBedrock } from './aws/bedrockModelId.ts'
import { bedrockSettings } from './aws/bedrockSettings.ts'
import { bedrockStream } from './aws/bedrockStream.ts'
import { converseErrorBody, converseStream } from './aws/converseStream.ts'
import { sigv4 } from './aws/sigv4.ts'
import type { IntegrationSettings } from '../../preload/contract.ts'
import type { DialectId } from '../dialects/canonical.ts'
import { defineProvider, type OutgoingCall, type PreparedCall, type ProviderContext, type TransportContext } from './provider.ts'

export const bedrockAnthropicVersion = 'bedrock-2023-05-31'

/**
 * The `anthropic_beta` values Bedrock documents for Claude; Claude Code's `claude-code-20250219`,
 * `oauth-…`, `fine-grained-tool-streaming-…` and the like are not among them and are dropped.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
 * (the list as LiteLLM checked it against those docs: github.com/BerriAI/litellm/pull/19877).
 */
export const bedrockBetas: readonly string[] = [
  'computer-use-2024-10-22', 'computer-use-2025-01-24', 'token-efficient-tools-2025-02-19', 'interleaved-thinking-2025-05-14',
  'output-128k-2025-02-19', 'dev-full-thinking-2025-05-14', 'context-1m-2025-08-07', 'context-management-2025-06-27',
  'effort-2025-11-24', 'tool-search-tool-2025-10-19', 'tool-examples-2025-10-29',
]

/** The regional endpoint (or the user's own base URL, e.g. a VPC endpoint, as it is). */
function endpointFor(baseUrl: string, region: string): string {
  return baseUrl.replace('{region}', region).replace(/\/+$/, '')
}

function invokeUrl(base: string, id: string, stream: boolean): string {
  return `${base}/model/${encodeURIComponent(id)}/${stream ? 'invoke-with-response-stream' : 'invoke'}`
}

function converseUrl(base: string, id: string, stream: boolean): string {
  return `${base}/model/${encodeURIComponent(id)}/${stream ? 'converse-stream' : 'converse'}`
}

/**
 * Claude speaks InvokeModel's Anthropic body; any other family (`amazon.`, `meta.`, `mistral.`…) speaks
 * Converse. An ARN naming no model (an application inference profile) is taken for Claude, as before Converse.
 */
function isClaude({ id, foundation }: { id: string; foundation: string }): boolean {
  return foundation.startsWith('anthropic.') || (id.startsWith('arn:') && !/^[a-z0-9-]+\.[a-z0-9]/.test(foundation))
}

/** The wire for a model name: `anthropic` for Claude (and for names Bedrock cannot resolve, which fail at `target`), else `converse`. */
function bedrockDialect(model: string, settings: IntegrationSettings): DialectId {
  try {
    return isClaude(bedrockModelId(model, settings.awsRegion ?? 'us-east-1', settings.modelMap)) ? 'anthropic' : 'converse'
  } catch {
    return 'anthropic'
  }
}

//#region credentials

type StoredKeys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** `{accessKeyId, secretAccessKey, sessionToken?}`, or `aws configure export-credentials`' `{AccessKeyId, …}`. */
function parseKeys(secret: string): StoredKeys | string {
  let json: unknown
  try {
    json = JSON.parse(secret)
  } catch {
    return 'credentials must be JSON: {"accessKeyId", "secretAccessKey", "sessionToken"?}'
  }
  if (typeof json !== 'object' || json === null) return 'credentials must be a JSON object'
  const o = json as Record<string, unknown>
  const pick = (...names: string[]): string | undefined => {
    for (const n of names) if (typeof o[n] === 'string' && o[n] !== '') return o[n]
    return undefined
  }
  const accessKeyId = pick('accessKeyId', 'AccessKeyId', 'aws_access_key_id')
  const secretAccessKey = pick('secretAccessKey', 'SecretAccessKey', 'aws_secret_access_key')
  const sessionToken = pick('sessionToken', 'SessionToken', 'aws_session_token')
  if (!accessKeyId || !secretAccessKey) return 'credentials need accessKeyId and secretAccessKey'
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey }
}

const PROFILE_TTL_MS = 60_000
/** Profiles are re-read at most once a minute (a rotated key is picked up within it). */
const profiles = new Map<string, { at: number; resolved: Promise<ResolvedAwsCredentials> }>()

function resolveOnce(source: AwsCredentialSource): Promise<ResolvedAwsCredentials> {
  if (source.kind === 'keys') return awsCredentials.resolve(source)
  const key = `${source.profile ?? ''}\u0000${source.region ?? ''}`
  const hit = profiles.get(key)
  if (hit && Date.now() - hit.at < PROFILE_TTL_MS) return hit.resolved
  const resolved = awsCredentials.resolve(source)
  if (profiles.size > 100) profiles.clear()
  profiles.set(key, { at: Date.now(), resolved })
  resolved.catch(() => profiles.delete(key))
  return resolved
}

async function credentialsFor(ctx: TransportContext): Promise<ResolvedAwsCredentials> {
  const { awsProfile, awsRegion } = ctx.settings
  let source: AwsCredentialSource
  if (awsProfile !== undefined) source = { kind: 'profile', profile: awsProfile, ...(awsRegion ? { region: awsRegion } : {}) }
  else if (ctx.secret) {
    const keys = parseKeys(ctx.secret.reveal())
    if (typeof keys === 'string') throw new GatewayError('provider_unreachable', `AWS Bedrock: the stored ${keys}`)
    source = { kind: 'keys', ...keys, ...(awsRegion ? { region: awsRegion } : {}) }
  } else {
    throw new GatewayError('provider_unreachable', 'AWS Bedrock has no credentials: store access keys, or set settings.awsProfile')
  }
  try {
    const resolved = await resolveOnce(source)
    redact(resolved.credentials.secretAccessKey)
    if (resolved.credentials.sessionToken) redact(resolved.credentials.sessionToken)
    return resolved
  } catch (err) {
    if (err instanceof AwsCredentialsError) throw new GatewayError('provider_unreachable', `AWS Bedrock: ${err.message}`, { cause: err })
    throw err
  }
}

//#endregion

/** The Bedrock body: Anthropic's without `model` and `stream`, with Bedrock's version and the accepted betas. */
function bedrockBody(call: OutgoingCall, ctx: ProviderContext): Record<string, unknown> {
  const { model: _model, stream: _stream, anthropic_beta: bodyBetas, anthropic_version: _version, ...rest } = call.body
  const { kept } = anthropicBetas(call.headers['anthropic-beta'], bodyBetas, betaFilter(ctx.settings.anthropicBetas, (b) => bedrockBetas.includes(b)))
  return { anthropic_version: bedrockAnthropicVersion, ...rest, ...(kept.length ? { anthropic_beta: kept } : {}) }
}

/** Headers the integration adds (its own `headers` setting); Anthropic's go into the body or nowhere. */
function extraHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith('anthropic-')) out[k] = v
  return out
}

async function prepare(call: OutgoingCall, ctx: TransportContext): Promise<PreparedCall> {
  const aws = await credentialsFor(ctx)
  const region = ctx.settings.awsRegion ?? aws.region
  if (!region) throw new GatewayError('provider_unreachable', `AWS Bedrock needs a region: set settings.awsRegion (${aws.origin} names none)`)
  const resolved = bedrockModelId(call.model, region, ctx.settings.modelMap)
  const { id } = resolved
  if (call.dialect === 'converse') return prepareConverse(call, ctx, aws, region, id)
  if (!isClaude(resolved)) {
    throw new GatewayError('invalid_request', `'${call.model}' is not a Claude model: Bedrock's InvokeModel body here is Claude's; other models are reached through Converse`, { param: 'model' })
  }
  const url = invokeUrl(endpointFor(ctx.baseUrl, region), id, call.stream)
  const body = Buffer.from(JSON.stringify(bedrockBody(call, ctx)))
  const signedHeaders = { 'content-type': 'application/json', accept: call.stream ? 'application/vnd.amazon.eventstream' : 'application/json' }
  const signature = await sigv4.sign({ method: 'POST', url, headers: signedHeaders, body }, { region, service: 'bedrock', credentials: aws.credentials })
  return {
    url,
    headers: { ...extraHeaders(call.headers), ...signedHeaders, ...signature },
    body,
    decodeStream: (head) => (String(head.headers['content-type']).includes('application/vnd.amazon.eventstream') ? bedrockStream() : null),
    errorBody: bedrockError,
  }
}

/** Converse / ConverseStream: the translated body without `model` and `stream`, signed the same way. */
async function prepareConverse(call: OutgoingCall, ctx: TransportContext, aws: ResolvedAwsCredentials, region: string, id: string): Promise<PreparedCall> {
  const url = converseUrl(endpointFor(ctx.baseUrl, region), id, call.stream)
  const { model: _model, stream: _stream, ...rest } = call.body
  const body = Buffer.from(JSON.stringify(rest))
  const signedHeaders = { 'content-type': 'application/json', accept: call.stream ? 'application/vnd.amazon.eventstream' : 'application/json' }
  const signature = await sigv4.sign({ method: 'POST', url, headers: signedHeaders, body }, { region, service: 'bedrock', credentials: aws.credentials })
  return {
    url,
    headers: { ...extraHeaders(call.headers), ...signedHeaders, ...signature },
    body,
    decodeStream: (head) => (String(head.headers['content-type']).includes('application/vnd.amazon.eventstream') ? converseStream(head) : null),
    errorBody: converseErrorBody,
  }
}

/** Models besides Claude listed for discovery; any Bedrock model id or inference profile works. */
const converseModels = ['amazon.nova-pro-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0']

export const bedrock = defineProvider({
  id: 'bedrock',
  name: 'AWS Bedrock',
  dialect: 'anthropic',
  modelDialect: bedrockDialect,
  // `{region}` is filled in per call (settings.awsRegion, else the profile's region).
  baseUrl: 'https://bedrock-runtime.{region}.amazonaws.com',
  needsApiKey: false,
  authHeaders: () => ({}),
  streamUsage: 'always',
  endpoints: ['messages'],
  knownModels: [...claudeOnBedrock.map((m) => m.names[0] as string), ...converseModels].map((id) => ({ id })),
  target(_endpoint, model, ctx, call) {
    if (!model) throw new GatewayError('model_required', "'model' is required, e.g. \"@bedrock/claude-sonnet-4-5\"", { param: 'model' })
    // The region may only be known from the profile (read when the call is prepared); the foundation
    // model, which prices the call, does not depend on it.
    const region = ctx.settings.awsRegion ?? 'us-east-1'
    const resolved = bedrockModelId(model, region, ctx.settings.modelMap)
    const { id, foundation } = resolved
    const url = (isClaude(resolved) ? invokeUrl : converseUrl)(endpointFor(ctx.baseUrl, region), id, call?.stream ?? false)
    return { url, model, pricingModel: id.startsWith('arn:') ? id : foundation }
  },
  transport: { prepare },
  credential: {
    describe: '{"accessKeyId", "secretAccessKey", "sessionToken"?}',
    check(secret) {
      const keys = parseKeys(secret)
      return typeof keys === 'string' ? keys : undefined
    },
    hint(secret) {
      const keys = parseKeys(secret)
      return typeof keys === 'string' ? null : `${keys.accessKeyId.slice(0, 4)}…${keys.accessKeyId.slice(-4)}`
    },
  },
  catalogId: 'aws',
  settings: bedrockSettings,
  docs: 'https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html',
})

