// Fake Azure OpenAI resource endpoint on node:http: deployment-based routes with `api-version`,
// `api-key` (or bearer) auth and Azure's error bodies, reusing the OpenAI response builders.
import { randomUUID } from 'node:crypto';
import { isRecord, openaiErrors } from './openaiResponses.ts';
import { behaviourOf, serveOperation } from './serveOperation.ts';
import type { Operation, UsageInStream } from './serveOperation.ts';
import { sendJson } from './sse.ts';
import { startRecordingServer } from './upstreamServer.ts';
import type { Upstream } from './upstreamServer.ts';

export type AzureUpstreamOptions = {
  apiKey: string;
  /** Deployment name -> model name (the model is what replies report). */
  deployments: Record<string, string>;
  /** Accepted api-version values; any value is accepted when omitted. */
  apiVersions?: string[];
  usageInStream?: UsageInStream;
  /**
   * Auth as Azure checks it: the key only in `api-key`; `Authorization: Bearer` only for this Entra
   * token (a key sent as a Bearer token is refused as a bad token).
   */
  documentedAuth?: { entraToken?: string };
};

const ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;
const OPERATIONS: Record<string, Operation> = { 'chat/completions': 'chat', completions: 'completion', embeddings: 'embedding' };

const azureError = (code: string, message: string): unknown => ({ error: { code, message } });
export const azureErrors = {
  notFound: () => azureError('404', 'Resource not found'),
  badKey: () =>
    azureError('401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.'),
  badToken: () =>
    azureError('401', 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.'),
  badVersion: () => azureError('BadRequest', 'API version not supported'),
  deploymentNotFound: () =>
    azureError('DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.'),
};

export function startAzureUpstream(opts: AzureUpstreamOptions): Promise<Upstream> {
  return startRecordingServer('', async (req, res, forced) => {
    const requestId = randomUUID();
    const headers = { 'x-request-id': requestId, 'apim-request-id': requestId, 'x-ms-region': 'East US' };
    const send = (status: number, body: unknown): void => sendJson(res, status, body, headers);
    const url = new URL(req.path, 'http://upstream');
    const match = ROUTE.exec(url.pathname);
    const apiVersion = url.searchParams.get('api-version');
    if (req.method !== 'POST' || !match || !apiVersion) return send(404, azureErrors.notFound());
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers['authorization'] ?? '')?.[1]?.trim();
    const key = req.headers['api-key'];
    if (key !== undefined ? key !== opts.apiKey : bearer === undefined) return send(401, azureErrors.badKey());
    const token = opts.documentedAuth ? opts.documentedAuth.entraToken : opts.apiKey;
    if (key === undefined && bearer !== token) return send(401, azureErrors.badToken());
    if (opts.apiVersions && !opts.apiVersions.includes(apiVersion)) return send(400, azureErrors.badVersion());
    const deployment = decodeURIComponent(match[1] ?? '');
    const model = opts.deployments[deployment];
    if (model === undefined) return send(404, azureErrors.deploymentNotFound());
    if (!isRecord(req.body)) return send(400, openaiErrors.badJson());
    const behaviour = forced ?? behaviourOf(deployment) ?? behaviourOf(model);
    const op = OPERATIONS[match[2] ?? ''] ?? 'chat';
    await serveOperation(op, req.body, res, { model, azure: true, usageInStream: opts.usageInStream ?? 'stream_options', behaviour, headers });
  });
}
