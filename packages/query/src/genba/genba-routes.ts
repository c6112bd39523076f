/** Genba's analysis API on the query port: /api/genba/..., JSON in Jaeger's envelope, times in µs. */
import type { Rule } from '@genba/analysis';
import type { Storage } from '@genba/storage';
import type { FastifyInstance } from 'fastify';
import { ok } from '../jaeger-envelope.ts';
import type { Raw } from '../query-params.ts';
import { integer, namedWindow, required, text, traceId, window } from '../query-params.ts';
import type { WindowRequest } from './analysis-service.ts';
import { AnalysisService } from './analysis-service.ts';
import { nsToMicros } from './micros.ts';

export const DEFAULT_WINDOW_TRACES = 1000;
export const MAX_WINDOW_TRACES = 10_000;

function windowRequest(q: Raw, w = window(q)): WindowRequest {
  return {
    ...w,
    service: required(q, 'service'),
    operation: text(q, 'operation'),
    buckets: integer(q, 'buckets', 12, 0, 500),
    limit: integer(q, 'limit', DEFAULT_WINDOW_TRACES, 1, MAX_WINDOW_TRACES),
  };
}

export function registerGenbaRoutes(app: FastifyInstance, store: Storage, rules?: readonly Rule[]): void {
  const service = new AnalysisService(store, rules);

  app.get<{ Params: { traceId: string } }>('/api/genba/traces/:traceId/critical-path', async (req) => {
    const data = await service.criticalPath(traceId(req.params.traceId, 'traceID'));
    return ok(data, data.length);
  });

  app.get<{ Params: { traceId: string } }>('/api/genba/traces/:traceId/analysis', async (req) =>
    ok(await service.analyze(traceId(req.params.traceId, 'traceID'))),
  );

  app.get<{ Querystring: Raw }>('/api/genba/value-stream', async (req) =>
    ok(await service.valueStream(windowRequest(req.query))),
  );

  app.get<{ Querystring: Raw }>('/api/genba/value-stream/compare', async (req) => {
    const q = req.query;
    const before = windowRequest(q, namedWindow(q, 'before'));
    const after = windowRequest(q, namedWindow(q, 'after'));
    return ok(await service.compare(before, after));
  });

  app.get<{ Querystring: Raw }>('/api/genba/components', async (req) => {
    const data = await service.components(windowRequest(req.query));
    return ok(data, data.length);
  });

  app.get<{ Querystring: Raw }>('/api/genba/anomalies', async (req) => {
    const data = await service.anomalies(windowRequest(req.query));
    return ok(data, data.length);
  });

  app.get<{ Querystring: Raw }>('/api/genba/errors', async (req) => {
    const data = await service.errors(windowRequest(req.query));
    return ok(data, data.length);
  });

  // The service graph with latency: calls, errors, P50/P95 per edge, from the ingest-time table.
  app.get<{ Querystring: Raw }>('/api/genba/dependencies', async (req) => {
    const w = window(req.query);
    const links = await store.getDependencies(w.start, w.end);
    const data = links.map((l) => ({
      parent: l.parent,
      child: l.child,
      callCount: l.callCount,
      errorCount: l.errorCount,
      p50: nsToMicros(l.p50Nano),
      p95: nsToMicros(l.p95Nano),
    }));
    return ok(data, data.length);
  });

  app.get<{ Querystring: Raw }>('/api/genba/diff', async (req) => {
    const a = traceId(required(req.query, 'a'), "parameter 'a'");
    const b = traceId(required(req.query, 'b'), "parameter 'b'");
    return ok(await service.diff(a, b));
  });
}
