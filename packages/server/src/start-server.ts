/**
 * Wires one Genba process from its config: the store (embedded or ClickHouse), the pipelines
 * (receivers → processors → exporters), the query APIs, the web UI, /health and /metrics.
 * A router has no store: it only routes spans to its backends, and serves /health and /metrics.
 */
import {
  buildPipelines,
  type ConfigInput,
  DEFAULT_PIPELINES,
  defaultRegistry,
  errorAnswer,
  formatEndpoint,
  listeningUrl,
  Metrics,
  parseEndpoint,
  type ValidConfig,
  validateConfig,
} from '@genba/collector';
import { failure, registerGenbaRoutes, registerJaegerRoutes } from '@genba/query';
import { openStore, type Storage } from '@genba/storage';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_UI_DIR, uiHandler } from './static-ui.ts';

export interface ServerOptions {
  /** The config as the YAML file holds it, already parsed; absent runs every receiver into the store. */
  config?: ConfigInput | Record<string, unknown>;
  /** Where the config came from, for error messages. */
  configSource?: string;
  /** Every endpoint the config leaves out gets a free port (tests, benchmarks). */
  anyPort?: boolean;
  /** These override the config's `genba:` section. */
  dataDir?: string;
  /** `embedded` (the default), `clickhouse://host:8123/db` or `clickhouse+cluster://h1,h2/db?cluster=NAME`. */
  storage?: string;
  /** Address every default listener binds to; 127.0.0.1 unless said otherwise. */
  host?: string;
  /** Days to keep spans (default 7); 0 keeps them for ever. */
  retentionDays?: number;
  /** Largest accepted request body, after decompression (default 16 MiB). */
  maxBodyBytes?: number;
  queryPort?: number;
  /** Only for the default pipeline: the OTLP/HTTP receiver's port. */
  otlpHttpPort?: number;
  /** Only for the default pipeline: spans decoded but not yet durable, beyond which receivers answer 429. */
  maxInFlightSpans?: number;
  uiDir?: string;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

export interface RunningServer {
  urls: { otlpHttp: string; otlpGrpc: string; query: string };
  /** Receiver id → protocol → address, e.g. `{ zipkin: { http: 'http://127.0.0.1:9411' } }`. */
  endpoints: Record<string, Record<string, string>>;
  /** Absent for a router. */
  store: Storage;
  /** The `genba:` section in force, after the file, the environment and the options. */
  settings: ValidConfig['genba'];
  metrics: Metrics;
  close(): Promise<void>;
}

/** The default pipeline, with the old per-port options applied. */
function defaultConfig(opts: ServerOptions): Record<string, unknown> {
  const c = structuredClone(DEFAULT_PIPELINES) as typeof DEFAULT_PIPELINES & Record<string, unknown>;
  const host = opts.host ?? (opts.config?.genba as { listen?: string } | undefined)?.listen ?? '127.0.0.1';
  if (opts.otlpHttpPort !== undefined)
    Object.assign(c.receivers.otlp.protocols.http, {
      endpoint: formatEndpoint({ host, port: opts.otlpHttpPort }),
    });
  if (opts.maxInFlightSpans !== undefined)
    Object.assign(c.processors.memory_limiter, { max_in_flight_spans: opts.maxInFlightSpans });
  return c;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const raw = structuredClone((opts.config ?? {}) as Record<string, unknown>);
  // A config without pipelines of its own (only `genba:`) runs the default one, where the old
  // per-port options apply.
  if (!raw.receivers && !raw.processors && !raw.exporters && !raw.service)
    Object.assign(raw, defaultConfig(opts));
  const genba = { ...((raw.genba as Record<string, unknown> | undefined) ?? {}) };
  if (opts.dataDir !== undefined) genba.data_dir = opts.dataDir;
  if (opts.storage !== undefined) genba.storage = opts.storage;
  if (opts.host !== undefined) genba.listen = opts.host;
  if (opts.maxBodyBytes !== undefined) genba.max_body_bytes = opts.maxBodyBytes;
  if (opts.logLevel !== undefined) genba.log_level = opts.logLevel;
  if (opts.queryPort !== undefined)
    genba.query = {
      endpoint: formatEndpoint({ host: String(genba.listen ?? '127.0.0.1'), port: opts.queryPort }),
    };
  raw.genba = genba;
  const config = validateConfig(raw, defaultRegistry, { source: opts.configSource, anyPort: opts.anyPort });
  const g = config.genba;
  const retentionDays = opts.retentionDays ?? g.retentionDays;
  const logger = { level: g.log_level };
  const metrics = new Metrics();
  const log = {
    warn: (m: string) => g.log_level !== 'silent' && console.warn(`genba: ${m}`),
    info: (m: string) => ['info', 'debug'].includes(g.log_level) && console.info(`genba: ${m}`),
  };

  const store =
    g.role === 'router'
      ? undefined
      : await openStore({ dataDir: g.data_dir, storage: g.storage, retentionDays });
  if (store) {
    metrics.observe(
      'genba_store_spans_expired_total',
      'Spans accepted but not stored, because they started before the retention window',
      () => store.stats().expiredSpans,
    );
    metrics.gauge(
      'genba_store_spans_queued',
      'Spans acknowledged (in the write-ahead log) and not yet inserted into the engine',
      () => store.stats().queuedSpans,
    );
    metrics.observe(
      'genba_store_insert_failures_total',
      'Inserts into the engine that failed (logged spans are retried)',
      () => store.stats().failedInserts,
    );
  }
  let pipelines: Awaited<ReturnType<typeof buildPipelines>> | undefined;
  const apps: FastifyInstance[] = [];
  const closeAll = async () => {
    // Stop taking spans first, so every acknowledged write has finished before the store closes.
    await pipelines?.shutdown();
    await Promise.all(apps.map((a) => a.close()));
    await store?.close();
  };
  try {
    pipelines = await buildPipelines(config, defaultRegistry, {
      metrics,
      log,
      store,
      maxBodyBytes: g.max_body_bytes,
    });

    const query = Fastify({ logger, bodyLimit: 1024 * 1024 });
    apps.push(query);
    const ui = uiHandler(opts.uiDir ?? DEFAULT_UI_DIR);
    query.setErrorHandler((err, req, res) => {
      const a = errorAnswer(err);
      if (a.status >= 500) req.log.error(err);
      return res.code(a.status).send(failure(a.status, a.message));
    });
    query.setNotFoundHandler(async (req, res) => {
      if (store && req.method === 'GET' && !req.url.startsWith('/api/')) return ui(req.url, res);
      const why = store ? '' : '; this instance is a router and serves only /health and /metrics';
      return res.code(404).send(failure(404, `no route ${req.method} ${req.url.split('?')[0]}${why}`));
    });
    if (store) {
      registerJaegerRoutes(query, store);
      registerGenbaRoutes(query, store, config.analysis.rules);
    }
    query.get('/health', async () => ({ status: 'ok', role: g.role }));
    query.get('/metrics', async (_req, res) => res.type('text/plain; version=0.0.4').send(metrics.render()));
    const at = g.query.endpoint
      ? parseEndpoint(g.query.endpoint, 'genba.query.endpoint')
      : { host: g.listen, port: opts.anyPort ? 0 : 16686 };
    await query.listen(at);

    const eps = pipelines.endpoints;
    const otlp = Object.entries(eps).find(([id]) => id === 'otlp' || id.startsWith('otlp/'))?.[1] ?? {};
    return {
      urls: { otlpHttp: otlp.http ?? '', otlpGrpc: otlp.grpc ?? '', query: listeningUrl(query.server) },
      endpoints: eps,
      store: store as Storage,
      settings: g,
      metrics,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
