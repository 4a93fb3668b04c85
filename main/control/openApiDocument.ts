/** The admin API as an OpenAPI 3.1 document, generated from the command schemas so it cannot drift. */
import { z } from 'zod'
import { schemas } from './schemas.ts'
import { setupDocument } from './applyConfig.ts'

const descriptions: Record<string, string> = {
  'integrations:create': 'Stores credentials for one provider account (the API key, or `credentials` for Bedrock access keys or a Vertex AI service-account file, goes to the vault and is never returned) and creates an @slug provider of the same name when that slug is free.',
  'keys:create': 'Creates a Switchyard API key for a workspace. The key is in the response exactly once; only its hash is stored.',
  'models:refresh': "Asks the provider's /models endpoint which models it serves and stores the list.",
  'config:apply': 'Applies a setup document (see components.schemas.SetupDocument). Idempotent.',
  'usage:query': 'Usage rows, newest first.',
  'usage:summary': 'Aggregates of usage rows, grouped by day (in timeZone; the default), provider, model, workspace, API key, project or branch (the `project` / `branch` metadata that coding agents are attributed to).',
  'selfTest:run': 'Conformance self-test: sends one client profile\'s request shapes (text, streaming, a tool round trip, reasoning where the target has it) through the live gateway to `model` and reports each step and what differed. Without confirm: true it sends nothing and returns the plan with its maximum token cost (`estimate`).',
  'attribution:set': 'Turns on or off reading the project (working folder name) and git branch from Claude Code and Codex prompts into usage metadata (default on). A client\'s own x-portkey-metadata keys always win; nothing else of the prompt is stored.',
  'usage:analytics': 'Usage over time in buckets sized to the range (5 min to 1 day): requests, errors, tokens, cost (micro-USD), latency and TTFB p50/p95 (from histogram bins), filtered by workspace, provider, model, API key, project, branch or metadata, optionally grouped (top maxGroups, the rest as "(other)"). Live updates: GET /admin/events (server-sent events).',
  'usage:facets': 'The workspaces, providers, models, API keys, projects, branches and metadata keys seen in a time range, for filter menus.',
  'usage:logs': 'Usage rows newest first, filtered and searched; page with `before` (the last row seen).',
  'usage:body': 'The request (as sent upstream) and response (as the client received it) kept for a usage row when body capture was on: secrets redacted, each side cut at 256 KB (`requestTruncated` / `responseTruncated`); `{ captured: false }` otherwise.',
  'limits:set': 'Sets (or, with policy null, removes) the budgets, rate limits and concurrency limit of one scope: integration, provisioning (<integration>/<workspace>), provider, workspace or apiKey. USD amounts are integer micro-USD. Live for the next request; counters are rebuilt from the usage table.',
  'limits:status': 'Live counters: what each limit allows, what is used and reserved by calls in flight, and when budgets reset.',
  'provisioning:set': 'Turns an integration on or off for one workspace and sets its limits there.',
  'provisioning:setDefaults': 'Auto-provisioning to new workspaces, and the limits each provisioned workspace gets unless it has its own.',
  'modelAccess:set': 'Enables or disables models of an integration; models without an explicit choice follow autoEnableNew.',
  'customModels:upsert': 'Adds a fine-tuned, self-hosted or private model, or overrides a known one: price (micro-USD per million tokens) and token limits.',
  'network:set': 'Custom-host policy (SSRF guard for x-portkey-custom-host): allowLoopback (default true) and allowHosts (hostnames, *.suffix wildcards, IPs, CIDRs) that may be reached although private, link-local, CGNAT, reserved or metadata. Fields left out keep their value; live for the next request.',
  'gateway:setPaused': 'Pauses or resumes the whole gateway: while paused every call is answered 503 gateway_paused in the caller\'s format.',
  'budgets:topUp': "A temporary grant on a scope's USD budgets (default amount: app settings topUpMicros) until the next local midnight, stored as its own row (budgets:grants).",
  'pricing:list': 'Every model price of a provider with its source (your price, the @pydantic/genai-prices catalog, built-in, self-hosted).',
}

let cached: object | null = null

export function openApiDocument(version: string): object {
  if (cached) return cached
  const paths: Record<string, object> = {}
  for (const [name, schema] of Object.entries(schemas)) {
    paths[`/admin/api/${name}`] = {
      post: {
        operationId: name.replace(':', '_'),
        summary: name,
        description: descriptions[name],
        tags: [name.split(':')[0]],
        security: [{ adminToken: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } } },
        responses: {
          '200': { description: 'Success', content: { 'application/json': { schema: { $ref: '#/components/schemas/Ok' } } } },
          default: { description: 'Failure', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    }
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version,
      description: 'Every operation of the Switchyard window, over HTTP. Send the admin token printed at start as a Bearer token. Host must be the loopback address the server listens on.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Ok: { type: 'object', required: ['ok', 'value'], properties: { ok: { const: true }, value: {} } },
        Error: {
          type: 'object',
          required: ['ok', 'error'],
          properties: {
            ok: { const: false },
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { enum: ['invalid_input', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'upstream_error', 'internal_error'] },
                message: { type: 'string' },
                path: { type: 'string', description: 'The input field at fault.' },
              },
            },
          },
        },
        SetupDocument: z.toJSONSchema(setupDocument, { unrepresentable: 'any' }),
      },
    },
  }
  return cached
}
