// Fake OpenAI Responses API on node:http: bearer auth, POST /v1/responses (JSON or SSE with `event:`
// lines and numbered events), GET / DELETE /v1/responses/{id} for stored responses (`store` defaults to
// true, so `previous_response_id` chains work), GET /v1/models, with OpenAI's error bodies and the
// scripted behaviours selected by model name. Replies come from responsesApi.ts.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRecord, modelObject, modelsListBody, newId, nowSeconds, openaiError, openaiErrors } from './openaiResponses.ts';
import type { JsonObject } from './openaiResponses.ts';
import {
  behavioursOf, checkRequest, cutIndex, doneItem, planReply, readInput, responseObject, responsesId, streamEvents,
} from './responsesApi.ts';
import type { ResponsesBehaviour } from './responsesApi.ts';
import { openSse, sendJson } from './sse.ts';
import { startRecordingServer } from './upstreamServer.ts';
import type { RecordedRequest, Upstream } from './upstreamServer.ts';

export type ResponsesUpstreamOptions = {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Known models; scripted behaviour names are accepted on top of these. */
  models?: string[];
};

/** The fake with a setter for the Responses behaviours (a superset of the shared Upstream's). */
export type ResponsesUpstream = Omit<Upstream, 'setBehaviour'> & { setBehaviour(b: ResponsesBehaviour | undefined): void };

export const DEFAULT_RESPONSES_MODELS = ['gpt-5', 'gpt-5-mini', 'gpt-5-codex', 'gpt-4.1', 'gpt-4o', 'gpt-4o-mini', 'o4-mini'];
export const SLOW_FIRST_BYTE_MS = 200;

type Stored = { response: JsonObject; context: JsonObject[] };
type Send = (status: number, body: unknown, extra?: Record<string, string>) => void;

const RATE_LIMIT_HEADERS = { 'retry-after': '1', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' };

/** HTTP failures for error-* models (delivered in-stream instead when the model is also `stream-error` and streams). */
function httpFailure(flags: Set<ResponsesBehaviour>, model: string): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
  if (flags.has('error-429')) return { status: 429, body: openaiErrors.rateLimit(model), headers: RATE_LIMIT_HEADERS };
  if (flags.has('error-500')) return { status: 500, body: openaiErrors.server() };
  if (flags.has('error-400')) return { status: 400, body: openaiErrors.badParam() };
  return undefined;
}

const SERVER_ERROR_MESSAGE = 'An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists.';

/**
 * `stream-error` variants, replacing the rest of the stream:
 * - alone: `response.failed` (status failed, error.code server_error) after the first delta;
 * - with error-429: `response.failed` with rate_limit_exceeded ("Please try again in 1s") before any output;
 * - with error-500: an `error` event (code server_error) after the first delta;
 * - with error-400: an `error` event (code context_length_exceeded, param input) before any output.
 */
function streamFailure(flags: Set<ResponsesBehaviour>, model: string, events: JsonObject[], failed: (error: { code: string; message: string }) => JsonObject): { at: number; event: JsonObject } | undefined {
  if (!flags.has('stream-error')) return undefined;
  if (flags.has('error-429')) {
    const message = openaiErrors.rateLimit(model).error.message;
    return { at: cutIndex(events, true), event: { type: 'response.failed', response: failed({ code: 'rate_limit_exceeded', message }) } };
  }
  if (flags.has('error-400')) {
    const message = 'Your input exceeds the context window of this model. Please adjust your input and try again.';
    return { at: cutIndex(events, true), event: { type: 'error', code: 'context_length_exceeded', message, param: 'input' } };
  }
  if (flags.has('error-500')) return { at: cutIndex(events, false), event: { type: 'error', code: 'server_error', message: SERVER_ERROR_MESSAGE, param: null } };
  return { at: cutIndex(events, false), event: { type: 'response.failed', response: failed({ code: 'server_error', message: SERVER_ERROR_MESSAGE }) } };
}

const writeEvent = (res: ServerResponse, event: JsonObject): Promise<void> =>
  new Promise((resolve) => res.write(`event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`, () => resolve()));

/** Writes the events numbered from 0 (no `[DONE]`: Responses streams just end); `stream-drop` destroys the socket after the first delta. */
async function sendStream(res: ServerResponse, events: JsonObject[], flags: Set<ResponsesBehaviour>, failure: { at: number; event: JsonObject } | undefined, headers: Record<string, string>): Promise<boolean> {
  openSse(res, headers);
  const drop = flags.has('stream-drop') ? cutIndex(events, false) : -1;
  for (const [i, event] of events.entries()) {
    if (res.destroyed) return false;
    if (i === drop) {
      await sleep(20);
      res.destroy();
      return false;
    }
    if (failure && i === failure.at) {
      await writeEvent(res, { ...failure.event, sequence_number: i });
      res.end();
      return false;
    }
    await writeEvent(res, { ...event, sequence_number: i });
  }
  res.end();
  return true;
}

function sendTruncated(res: ServerResponse, body: JsonObject, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.write(text.slice(0, text.length >> 1), () => res.destroy());
}

/** Handles the Responses routes under `prefix`; resolves false for any other route. */
export type ResponsesRoutes = (req: RecordedRequest, res: ServerResponse, forced: ResponsesBehaviour | undefined, headers: Record<string, string>) => Promise<boolean>;

/**
 * POST {prefix}/responses and GET / DELETE {prefix}/responses/{id}, with their own store of responses.
 * `known` decides which models exist; scripted behaviour names are accepted on top. Also mounted by
 * startOpenAIUpstream({ responses: true }).
 */
export function createResponsesRoutes(known: (model: string) => boolean, prefix = '/v1'): ResponsesRoutes {
  const stored = new Map<string, Stored>();

  async function create(req: RecordedRequest, res: ServerResponse, forced: ResponsesBehaviour | undefined, send: Send, headers: Record<string, string>): Promise<void> {
    if (!isRecord(req.body)) return send(400, openaiErrors.badJson());
    const body: JsonObject = req.body;
    const model = body['model'];
    if (typeof model !== 'string' || model === '') return send(400, openaiError("Missing required parameter: 'model'.", 'invalid_request_error', 'model', 'missing_required_parameter'));
    if (!known(model) && behavioursOf(model).size === 0) return send(400, openaiError(`The requested model '${model}' does not exist.`, 'invalid_request_error', 'model', 'model_not_found'));
    const previousId = body['previous_response_id'];
    const previous = typeof previousId === 'string' ? stored.get(previousId) : undefined;
    if (typeof previousId === 'string' && !previous) {
      return send(400, openaiError(`Previous response with id '${previousId}' not found.`, 'invalid_request_error', 'previous_response_id', 'previous_response_not_found'));
    }
    const read = readInput(body, previous?.context);
    const refused = checkRequest(body, read.context);
    if (refused) return send(refused.status, refused.body);
    const flags = behavioursOf(model, forced);
    const streaming = body['stream'] === true;
    const failure = streaming && flags.has('stream-error') ? undefined : httpFailure(flags, model);
    if (failure) return send(failure.status, failure.body, failure.headers);
    if (flags.has('slow-first-byte')) await sleep(SLOW_FIRST_BYTE_MS);

    const plan = planReply(body, model, flags, read);
    const state = { id: responsesId('resp_'), createdAt: nowSeconds() };
    const final = responseObject(body, model, flags, { ...state, status: plan.status, output: plan.items.map(doneItem), usage: plan.usage });
    const keep = (): void => {
      if (body['store'] !== false) stored.set(state.id, { response: final, context: [...read.context, ...plan.items.map(doneItem)] });
    };
    if (!streaming) {
      if (flags.has('stream-drop')) return sendTruncated(res, final, headers);
      keep();
      return send(200, final);
    }
    const events = streamEvents(body, plan, flags, state);
    const failed = (error: { code: string; message: string }): JsonObject => responseObject(body, model, flags, { ...state, status: 'failed', output: [], usage: null, error });
    if (await sendStream(res, events, flags, streamFailure(flags, model, events, failed), headers)) keep();
  }

  return async (req, res, forced, headers) => {
    const send: Send = (status, body, extra = {}) => sendJson(res, status, body, { ...headers, ...extra });
    const pathname = new URL(req.path, 'http://upstream').pathname.replace(/\/+$/, '');
    if (req.method === 'POST' && pathname === `${prefix}/responses`) {
      await create(req, res, forced, send, headers);
      return true;
    }
    const one = pathname.startsWith(`${prefix}/responses/`) ? pathname.slice(`${prefix}/responses/`.length) : undefined;
    if (one === undefined || one.includes('/') || (req.method !== 'GET' && req.method !== 'DELETE')) return false;
    const id = decodeURIComponent(one);
    const found = stored.get(id);
    if (!found) send(404, openaiError(`Response with id '${id}' not found.`, 'invalid_request_error', null, null));
    else if (req.method === 'GET') send(200, found.response);
    else {
      stored.delete(id);
      send(200, { id, object: 'response', deleted: true });
    }
    return true;
  };
}

export async function startResponsesUpstream(opts: ResponsesUpstreamOptions = {}): Promise<ResponsesUpstream> {
  const models = opts.models ?? DEFAULT_RESPONSES_MODELS;
  const known = (m: string): boolean => models.includes(m) || behavioursOf(m).size > 0;
  const routes = createResponsesRoutes(known);
  let forced: ResponsesBehaviour | undefined;
  const upstream = await startRecordingServer('/v1', async (req, res) => {
    const headers = { 'x-request-id': newId('req_'), 'openai-version': '2020-10-01', 'openai-processing-ms': '7' };
    const send: Send = (status, body) => sendJson(res, status, body, headers);
    if (opts.apiKey !== undefined) {
      const auth = /^Bearer\s+(.+)$/i.exec(req.headers['authorization'] ?? '')?.[1]?.trim();
      if (!auth) return send(401, openaiErrors.missingKey());
      if (auth !== opts.apiKey) return send(401, openaiErrors.invalidKey(auth));
    }
    if (await routes(req, res, forced, headers)) return;
    const pathname = new URL(req.path, 'http://upstream').pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && pathname === '/v1/models') return send(200, modelsListBody(models));
    if (req.method === 'GET' && pathname.startsWith('/v1/models/')) {
      const id = decodeURIComponent(pathname.slice('/v1/models/'.length));
      return known(id) ? send(200, modelObject(id)) : send(404, openaiErrors.modelNotFound(id));
    }
    return send(404, openaiErrors.invalidUrl(req.method, pathname));
  });
  return {
    ...upstream,
    setBehaviour: (b) => {
      forced = b;
    },
  };
}
