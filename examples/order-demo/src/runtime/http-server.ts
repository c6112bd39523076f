/**
 * A small JSON-over-HTTP server whose every request is a SERVER span, continuing the trace
 * the caller put in the headers. Handlers throw `HttpError` to answer with a status.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractHeaders } from '@genba/sdk';
import type { Span } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { HttpError } from './http-error.ts';

export interface JsonRequest {
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

export type Handler = (request: JsonRequest) => Promise<JsonReply>;

/** Keyed by `METHOD /path`, which is also the span name and `http.route`. */
export type Routes = Record<string, Handler>;

export interface JsonServer {
  readonly port: number;
  /** Stops accepting and waits for every request in flight to be answered (its span ended). */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body-too-large');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad-json', 'request body is not JSON');
  }
}

function send(res: ServerResponse, reply: JsonReply): void {
  const body = JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function failureReply(span: Span, err: unknown): JsonReply {
  if (err instanceof HttpError)
    return { status: err.status, body: { error: err.reason, message: err.message } };
  // Not a planned answer: a bug or a crash downstream. Keep the stack on the span.
  span.recordException(err instanceof Error ? err : String(err));
  return {
    status: 500,
    body: { error: 'internal', message: err instanceof Error ? err.message : String(err) },
  };
}

async function serve(routes: Routes, port: () => number, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '/').split('?')[0];
  const route = `${req.method} ${path}`;
  const handler = routes[route];
  const tracer = trace.getTracer('order-demo');
  const attributes = {
    'http.request.method': req.method ?? 'GET',
    'url.path': path,
    'server.address': '127.0.0.1',
    'server.port': port(),
    ...(handler === undefined ? {} : { 'http.route': path }),
  };
  await context.with(extractHeaders(req.headers), () =>
    tracer.startActiveSpan(route, { kind: SpanKind.SERVER, attributes }, async (span) => {
      let reply: JsonReply;
      try {
        if (handler === undefined) throw new HttpError(404, 'not-found', `no route ${route}`);
        reply = await handler({ body: await readJson(req), headers: req.headers });
      } catch (err) {
        reply = failureReply(span, err);
      }
      span.setAttribute('http.response.status_code', reply.status);
      // Server spans are errors only on 5xx: a 4xx is the caller's mistake, answered correctly.
      if (reply.status >= 500) {
        const message = (reply.body as { message?: string } | undefined)?.message;
        span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? `HTTP ${reply.status}` });
      }
      send(res, reply);
      span.end();
    }),
  );
}

/** Listens on 127.0.0.1 and an ephemeral port. */
export function listen(routes: Routes): Promise<JsonServer> {
  let port = 0;
  // Handlers, not sockets: a caller that vanished closes its socket while our handler (and its
  // span) still runs, and a flush before that span ends would lose it.
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handled = serve(routes, () => port, req, res)
      .catch((err: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: 'internal', message: String(err) } });
      })
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  // Longer than the clients' idle sockets live, so a server never closes one a client is reusing.
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          while (inFlight.size > 0) await Promise.all(inFlight);
          server.closeIdleConnections();
          await closed;
        },
      });
    });
  });
}
