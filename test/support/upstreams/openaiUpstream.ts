// Fake OpenAI API upstream on node:http: bearer auth, model checks and routing for chat completions,
// legacy completions, embeddings and models, answering in OpenAI's documented wire format.
import { isRecord, modelObject, modelsListBody, newId, openaiErrors } from './openaiResponses.ts';
import { behaviourOf, serveOperation } from './serveOperation.ts';
import type { Operation, UsageInStream } from './serveOperation.ts';
import { createResponsesRoutes } from './responsesUpstream.ts';
import { sendJson } from './sse.ts';
import { startRecordingServer } from './upstreamServer.ts';
import type { Upstream } from './upstreamServer.ts';

export type OpenAIUpstreamOptions = {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Known models; scripted behaviour names are accepted on top of these. */
  models?: string[];
  /**
   * The key's organization and project: an `OpenAI-Organization` / `OpenAI-Project` header naming
   * another is refused with 401, as OpenAI refuses it (headers absent: the key's defaults).
   */
  organization?: string;
  project?: string;
  /** Default '/v1'. */
  pathPrefix?: string;
  /** Default 'stream_options' (OpenAI's own semantics). */
  usageInStream?: UsageInStream;
  /** Also serve the Responses API (POST /responses, GET/DELETE /responses/{id}) as startResponsesUpstream does. */
  responses?: boolean;
};

export const DEFAULT_OPENAI_MODELS = ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small'];

const POST_ROUTES: Record<string, Operation> = { '/chat/completions': 'chat', '/completions': 'completion', '/embeddings': 'embedding' };

export function startOpenAIUpstream(opts: OpenAIUpstreamOptions = {}): Promise<Upstream> {
  const prefix = opts.pathPrefix ?? '/v1';
  const models = opts.models ?? DEFAULT_OPENAI_MODELS;
  const known = (model: string): boolean => models.includes(model) || behaviourOf(model) !== undefined;
  const responses = opts.responses ? createResponsesRoutes(known, prefix) : undefined;
  return startRecordingServer(prefix, async (req, res, forced) => {
    const headers = { 'x-request-id': newId('req_'), 'openai-version': '2020-10-01', 'openai-processing-ms': '7' };
    const send = (status: number, body: unknown): void => sendJson(res, status, body, headers);
    if (opts.apiKey !== undefined) {
      const auth = /^Bearer\s+(.+)$/i.exec(req.headers['authorization'] ?? '')?.[1]?.trim();
      if (!auth) return send(401, openaiErrors.missingKey());
      if (auth !== opts.apiKey) return send(401, openaiErrors.invalidKey(auth));
    }
    const org = req.headers['openai-organization'];
    if (org !== undefined && opts.organization !== undefined && org !== opts.organization) {
      return send(401, { error: { message: 'OpenAI-Organization header should match organization for API key', type: 'invalid_request_error', param: null, code: 'mismatched_organization' } });
    }
    const project = req.headers['openai-project'];
    if (project !== undefined && opts.project !== undefined && project !== opts.project) {
      return send(401, { error: { message: 'OpenAI-Project header should match project for API key', type: 'invalid_request_error', param: null, code: 'mismatched_project' } });
    }
    if (responses && (await responses(req, res, forced, headers))) return;
    const pathname = new URL(req.path, 'http://upstream').pathname;
    const route = pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : undefined;
    if (req.method === 'GET' && route === '/models') return send(200, modelsListBody(models));
    if (req.method === 'GET' && route?.startsWith('/models/')) {
      const id = decodeURIComponent(route.slice('/models/'.length));
      return known(id) ? send(200, modelObject(id)) : send(404, openaiErrors.modelNotFound(id));
    }
    const op = route === undefined ? undefined : POST_ROUTES[route];
    if (req.method !== 'POST' || op === undefined) return send(404, openaiErrors.invalidUrl(req.method, pathname));
    if (!isRecord(req.body)) return send(400, openaiErrors.badJson());
    const model = req.body['model'];
    if (typeof model !== 'string' || model === '') return send(400, openaiErrors.missingModel());
    if (!known(model)) return send(404, openaiErrors.modelNotFound(model));
    const behaviour = forced ?? behaviourOf(model);
    await serveOperation(op, req.body, res, { model, azure: false, usageInStream: opts.usageInStream ?? 'stream_options', behaviour, headers });
  });
}
