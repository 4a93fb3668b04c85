// Recording node:http server shared by the fake upstreams: binds 127.0.0.1:0, records every request
// (method, path with query, lowercased headers, parsed body) and delegates the reply to a route handler.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Behaviour } from './serveOperation.ts';
import { sendJson } from './sse.ts';

export type RecordedRequest = {
  method: string;
  /** Path including the query string. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
};

export type Upstream = {
  /** Base URL, including the path prefix when there is one. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Forces a scripted behaviour on every following request (undefined restores model-name selection). */
  setBehaviour(behaviour: Behaviour | undefined): void;
};

export type RouteHandler = (req: RecordedRequest, res: ServerResponse, forced: Behaviour | undefined) => Promise<void>;

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  let body: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') body = JSON.parse(text);
  } catch {
    // keep the raw text
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers, body };
}

export async function startRecordingServer(pathPrefix: string, handle: RouteHandler): Promise<Upstream> {
  const requests: RecordedRequest[] = [];
  let forced: Behaviour | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      const recorded = await record(req);
      requests.push(recorded);
      await handle(recorded, res, forced);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${pathPrefix}`,
    port,
    requests,
    setBehaviour: (b) => {
      forced = b;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
