/**
 * Wires one Genba process: the store (embedded or ClickHouse), the OTLP/HTTP receiver, the Jaeger query API,
 * the web UI, /health and /metrics.
 */
import { Admission, errorAnswer, Metrics, registerOtlpHttp } from '@genba/collector';
import { failure, registerJaegerRoutes } from '@genba/query';
import { openStore, type Storage } from '@genba/storage';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_UI_DIR, uiHandler } from './static-ui.ts';

export interface ServerOptions {
  /** Directory of the embedded store. */
  dataDir: string;
  /** `embedded` (the default), `clickhouse://host:8123/db` or `clickhouse+cluster://h1,h2/db?cluster=NAME`. */
  storage?: string;
  /** Address every listener binds to; 127.0.0.1 unless said otherwise. */
  host?: string;
  /** 0 picks a free port. */
  otlpHttpPort?: number;
  queryPort?: number;
  /** Largest accepted request body, after decompression (default 16 MiB). */
  maxBodyBytes?: number;
  /** Spans decoded but not yet durable, beyond which receivers answer 429. */
  maxInFlightSpans?: number;
  /** Days to keep spans (default 7); 0 keeps them for ever. */
  retentionDays?: number;
  uiDir?: string;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

export interface RunningServer {
  urls: { otlpHttp: string; query: string };
  store: Storage;
  metrics: Metrics;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

function urlOf(app: FastifyInstance): string {
  const a = app.server.address();
  if (a === null || typeof a === 'string') throw new Error('server is not listening on TCP');
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBodyBytes = opts.maxBodyBytes ?? 16 * MiB;
  const logger = { level: opts.logLevel ?? 'warn' };
  const store = await openStore({
    dataDir: opts.dataDir,
    storage: opts.storage,
    retentionDays: opts.retentionDays ?? 7,
  });
  const metrics = new Metrics();
  metrics.observe(
    'genba_store_spans_expired_total',
    'Spans accepted but not stored, because they started before the retention window',
    () => store.stats().expiredSpans,
  );
  const apps: FastifyInstance[] = [];
  try {
    const admission = new Admission(
      { consume: (spans) => store.write(spans) },
      opts.maxInFlightSpans ?? 200_000,
    );

    const otlp = Fastify({ logger, bodyLimit: maxBodyBytes });
    apps.push(otlp);
    registerOtlpHttp(otlp, { consumer: admission, metrics, maxBodyBytes });
    await otlp.listen({ host, port: opts.otlpHttpPort ?? 4318 });

    const query = Fastify({ logger, bodyLimit: MiB });
    apps.push(query);
    const ui = uiHandler(opts.uiDir ?? DEFAULT_UI_DIR);
    query.setErrorHandler((err, req, res) => {
      const a = errorAnswer(err);
      if (a.status >= 500) req.log.error(err);
      return res.code(a.status).send(failure(a.status, a.message));
    });
    query.setNotFoundHandler(async (req, res) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return ui(req.url, res);
      return res.code(404).send(failure(404, `no route ${req.method} ${req.url.split('?')[0]}`));
    });
    registerJaegerRoutes(query, store);
    query.get('/health', async () => ({ status: 'ok' }));
    query.get('/metrics', async (_req, res) => res.type('text/plain; version=0.0.4').send(metrics.render()));
    await query.listen({ host, port: opts.queryPort ?? 16686 });

    return {
      urls: { otlpHttp: urlOf(otlp), query: urlOf(query) },
      store,
      metrics,
      async close() {
        // Stop taking requests first, so every acknowledged write has finished before the store closes.
        await Promise.all(apps.map((a) => a.close()));
        await store.close();
      },
    };
  } catch (err) {
    await Promise.all(apps.map((a) => a.close()));
    await store.close();
    throw err;
  }
}
