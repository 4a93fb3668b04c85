// Fake Bedrock Runtime on node:http: every request must be SigV4-signed (checked with the signer
// under test); POST /model/{modelId}/invoke and /invoke-with-response-stream speak Claude's Bedrock
// body (`anthropic_version: "bedrock-2023-05-31"`, no `model`/`stream`, betas in `anthropic_beta`)
// and answer JSON or `application/vnd.amazon.eventstream` chunk events carrying base64 Anthropic
// events; /converse and /converse-stream speak Converse. Errors as Bedrock sends them: a status,
// `x-amzn-ErrorType` and `{"message": …}`; mid-stream failures as exception messages.
// https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { eventStream } from '../../../main/providers/aws/eventStream.ts'
import type { EventStreamMessage } from '../../../main/providers/aws/eventStream.ts'
import type { AwsCredentials } from '../../../main/providers/aws/sigv4.ts'
import { behavioursOf, cutIndex, messageBody, planReply, SLOW_FIRST_BYTE_MS, streamEvents, validateMessages } from './anthropicMessages.ts'
import type { AnthropicBehaviour, Plan } from './anthropicMessages.ts'
import { checkSigV4 } from './bedrockAuth.ts'
import type { AwsFailure } from './bedrockAuth.ts'
import { converseBody, converseStreamEvents, converseToAnthropic, padding, validateConverse } from './bedrockConverse.ts'
import { isRecord } from './openaiResponses.ts'
import type { JsonObject } from './openaiResponses.ts'
import { sendJson } from './sse.ts'
import { startRecordingServer } from './upstreamServer.ts'
import type { RecordedRequest, Upstream } from './upstreamServer.ts'

export type BedrockUpstreamOptions = {
  region?: string
  /** Keys the fake accepts; a session token, when given, must be sent and signed. */
  credentials: AwsCredentials[]
  /** Foundation model ids on offer; behaviour names (`anthropic.claude-tools-v1:0`) are accepted too. */
  models?: string[]
  /** Models that must be invoked through an inference profile (`us.<id>`, or its ARN). */
  profileOnly?: string[]
  /** `anthropic_beta` values Bedrock accepts; others fail with "invalid beta flag". */
  betas?: string[]
  /** The fake's clock for the 15-minute signature window. */
  now?: () => Date
}

export type BedrockUpstream = Omit<Upstream, 'setBehaviour'> & { setBehaviour(b: AnthropicBehaviour | undefined): void; region: string }

export const DEFAULT_BEDROCK_MODELS = [
  'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'anthropic.claude-haiku-4-5-20251001-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
  'amazon.nova-lite-v1:0',
]
export const DEFAULT_PROFILE_ONLY = ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0']
/** Betas Bedrock documents for Claude; Claude Code's claude-code-20250219 is not among them. */
export const DEFAULT_BEDROCK_BETAS = [
  'computer-use-2024-10-22', 'computer-use-2025-01-24', 'token-efficient-tools-2025-02-19', 'interleaved-thinking-2025-05-14',
  'output-128k-2025-02-19', 'dev-full-thinking-2025-05-14', 'context-1m-2025-08-07', 'context-management-2025-06-27',
]
export const BEDROCK_VERSION = 'bedrock-2023-05-31'

const ROUTE = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|converse|converse-stream)$/
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./

/** `us.anthropic.claude-x-20250101-v1:0` or an ARN → `{ foundation, viaProfile }`. */
function resolveModelId(raw: string): { foundation: string; viaProfile: boolean } {
  const id = raw.startsWith('arn:') ? (raw.split('/').at(-1) ?? raw) : raw
  const viaProfile = PROFILE_PREFIX.test(id) || raw.includes(':inference-profile/') || raw.includes(':application-inference-profile/')
  return { foundation: id.replace(PROFILE_PREFIX, ''), viaProfile }
}

/** The Anthropic model name Claude reports on Bedrock: `anthropic.claude-x-20250101-v1:0` → `claude-x-20250101`. */
export const anthropicModelName = (foundation: string): string => foundation.replace(/^anthropic\./, '').replace(/-v\d+(:\d+)?$/, '')

const malformed = (detail: string): AwsFailure => ({ status: 400, errorType: 'ValidationException', message: `Malformed input request: ${detail}, please reformat your input and try again.` })

function validateInvoke(body: unknown, betas: string[]): AwsFailure | undefined {
  if (!isRecord(body)) return malformed('#: expected type: JSONObject, found: Null')
  for (const key of ['model', 'stream']) if (key in body) return malformed(`#: extraneous key [${key}] is not permitted`)
  for (const key of ['anthropic_version', 'max_tokens', 'messages']) if (!(key in body)) return malformed(`#: required key [${key}] not found`)
  if (body['anthropic_version'] !== BEDROCK_VERSION) return malformed(`#/anthropic_version: ${String(body['anthropic_version'])} is not a valid enum value`)
  const requested = body['anthropic_beta']
  if (requested !== undefined && (!Array.isArray(requested) || requested.some((b) => typeof b !== 'string' || !betas.includes(b)))) {
    return { status: 400, errorType: 'ValidationException', message: 'invalid beta flag' }
  }
  const invalid = validateMessages(body)
  return invalid ? { status: 400, errorType: 'ValidationException', message: invalid } : undefined
}

function scripted(flags: Set<AnthropicBehaviour>): AwsFailure | undefined {
  if (flags.has('error-429')) return { status: 429, errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }
  if (flags.has('error-529')) return { status: 503, errorType: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' }
  if (flags.has('error-500')) return { status: 500, errorType: 'InternalServerException', message: 'The system encountered an unexpected error during processing. Try your request again.' }
  if (flags.has('error-400')) return malformed('#/temperature: 3 is not less or equal to 1')
  return undefined
}

function sendFailure(res: ServerResponse, f: AwsFailure, requestId: string): void {
  const namespace = f.coral === 'service' ? 'com.amazon.coral.service' : 'com.amazon.bedrock'
  sendJson(res, f.status, { message: f.message }, { 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': `${f.errorType}:http://internal.amazon.com/coral/${namespace}/` })
}

const jsonEvent = (eventType: string, payload: JsonObject): EventStreamMessage => ({
  headers: { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
  payload: new TextEncoder().encode(JSON.stringify(payload)),
})

/** The in-band failure `stream-error` sends (ModelStreamErrorException carries the model's status). */
const streamException = (): EventStreamMessage => ({
  headers: { ':exception-type': 'modelStreamErrorException', ':content-type': 'application/json', ':message-type': 'exception' },
  payload: new TextEncoder().encode(JSON.stringify({ message: 'Model stream error: Overloaded', originalMessage: 'Overloaded', originalStatusCode: 529 })),
})

async function sendEventStream(res: ServerResponse, messages: EventStreamMessage[], cut: number, flags: Set<AnthropicBehaviour>, headers: Record<string, string>): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-content-type': 'application/json', ...headers })
  res.flushHeaders()
  for (const [i, message] of messages.entries()) {
    if (res.destroyed) return
    if (i === cut && flags.has('stream-drop')) {
      await sleep(20)
      res.destroy()
      return
    }
    const out = i === cut && flags.has('stream-error') ? streamException() : message
    await new Promise<void>((resolve) => res.write(eventStream.encode(out), () => resolve()))
    if (out !== message) break
  }
  res.end()
}

/** InvokeModelWithResponseStream: each Anthropic event base64'd into a chunk; metrics on message_stop. */
function invokeChunks(plan: Plan, latencyMs: number): EventStreamMessage[] {
  const metrics: JsonObject = { inputTokenCount: plan.usage.input, outputTokenCount: plan.usage.output, invocationLatency: latencyMs, firstByteLatency: Math.floor(latencyMs / 2) }
  if (plan.usage.cacheRead) metrics['cacheReadInputTokenCount'] = plan.usage.cacheRead
  if (plan.usage.cacheCreation) metrics['cacheWriteInputTokenCount'] = plan.usage.cacheCreation
  return streamEvents(plan, 'bedrock').map((event, i) => {
    const inner = event['type'] === 'message_stop' ? { ...event, 'amazon-bedrock-invocationMetrics': metrics } : event
    return jsonEvent('chunk', { bytes: Buffer.from(JSON.stringify(inner)).toString('base64'), p: padding(i) })
  })
}

export async function startBedrockUpstream(opts: BedrockUpstreamOptions): Promise<BedrockUpstream> {
  const region = opts.region ?? 'us-east-1'
  const models = opts.models ?? DEFAULT_BEDROCK_MODELS
  const profileOnly = opts.profileOnly ?? DEFAULT_PROFILE_ONLY
  const betas = opts.betas ?? DEFAULT_BEDROCK_BETAS
  let forced: AnthropicBehaviour | undefined
  const upstream = await startRecordingServer('', async (req: RecordedRequest, res) => {
    const started = Date.now()
    const requestId = randomUUID()
    const fail = (f: AwsFailure): void => sendFailure(res, f, requestId)
    const url = new URL(req.path, 'http://upstream')
    const match = ROUTE.exec(url.pathname)
    if (req.method !== 'POST' || !match) return fail({ status: 404, errorType: 'UnknownOperationException', message: 'Unknown operation' })
    const denied = checkSigV4(req, { region, service: 'bedrock', credentials: opts.credentials, now: opts.now ?? (() => new Date()) })
    if (denied) return fail(denied)
    const { foundation, viaProfile } = resolveModelId(decodeURIComponent(match[1] ?? ''))
    const flags = behavioursOf(foundation, forced)
    const scriptedName = behavioursOf(foundation).size > 0
    if (!models.includes(foundation) && !scriptedName) return fail({ status: 400, errorType: 'ValidationException', message: 'The provided model identifier is invalid.' })
    if (profileOnly.includes(foundation) && !viaProfile) {
      return fail({
        status: 400,
        errorType: 'ValidationException',
        message: `Invocation of model ID ${foundation} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      })
    }
    const operation = match[2] ?? ''
    const converse = operation.startsWith('converse')
    const isClaude = foundation.startsWith('anthropic.') || scriptedName
    if (!converse && !isClaude) return fail(malformed('#: this fake speaks only Anthropic Claude bodies on InvokeModel'))
    const converseProblem = converse ? validateConverse(req.body) : undefined
    if (converseProblem) return fail({ status: 400, errorType: 'ValidationException', message: converseProblem })
    const invokeProblem = converse ? undefined : validateInvoke(req.body, betas)
    if (invokeProblem) return fail(invokeProblem)
    const failure = scripted(flags)
    if (failure) return fail(failure)
    if (flags.has('slow-first-byte')) await sleep(SLOW_FIRST_BYTE_MS)
    const body = converse ? converseToAnthropic(req.body as JsonObject) : (req.body as JsonObject)
    const plan = planReply(body, anthropicModelName(foundation), flags, 'bedrock')
    const latencyMs = Math.max(1, Date.now() - started)
    const headers = { 'x-amzn-RequestId': requestId }
    if (operation === 'converse') return sendJson(res, 200, converseBody(plan, latencyMs), headers)
    if (operation === 'converse-stream') {
      const events = converseStreamEvents(plan, latencyMs).map(([type, payload]) => jsonEvent(type, payload))
      return sendEventStream(res, events, events.findIndex((m) => m.headers[':event-type'] === 'contentBlockDelta') + 1, flags, headers)
    }
    if (operation === 'invoke') {
      return sendJson(res, 200, messageBody(plan, 'bedrock'), {
        ...headers,
        'x-amzn-bedrock-invocation-latency': String(latencyMs),
        'x-amzn-bedrock-input-token-count': String(plan.usage.input),
        'x-amzn-bedrock-output-token-count': String(plan.usage.output),
      })
    }
    return sendEventStream(res, invokeChunks(plan, latencyMs), cutIndex(streamEvents(plan, 'bedrock')), flags, headers)
  })
  return {
    ...upstream,
    region,
    setBehaviour: (b) => {
      forced = b
    },
  }
}
