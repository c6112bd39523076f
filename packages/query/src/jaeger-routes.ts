/**
 * Jaeger query API v1 (`/api/...` on 16686), with exactly the wire shapes that jaeger-ui and
 * Grafana's Jaeger data source read.
 */
import { adjustTrace } from '@genba/analysis';
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import type { Storage } from '@genba/storage';
import type { FastifyInstance } from 'fastify';
import { toJaegerTrace, toJaegerTraces } from './jaeger/index.ts';
import { ok } from './jaeger-envelope.ts';
import { parseTraceQuery } from './jaeger-search-params.ts';
import { traceId } from './query-params.ts';

type Query = Record<string, string | string[] | undefined>;

/** A non-negative integer of milliseconds, or the default when absent. */
function millisParam(q: Query, name: string, fallback: number): bigint {
  const v = q[name];
  if (v === undefined || v === '') return BigInt(fallback);
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v))
    throw new GenbaError('bad_request', `parameter '${name}' must be milliseconds as a whole number`);
  return BigInt(v);
}

function traceIdParam(raw: string): string {
  return traceId(raw, 'trace id');
}

/** Every trace a reader gets has been through the adjusters (dedupe, clock skew, sort). */
function adjusted(traces: Iterable<Span[]>): Span[][] {
  return [...traces].map((t) => adjustTrace(t).spans);
}

export function registerJaegerRoutes(app: FastifyInstance, store: Storage): void {
  app.get('/api/services', async () => {
    const services = await store.getServices();
    return ok(services, services.length);
  });

  app.get<{ Params: { service: string } }>('/api/services/:service/operations', async (req) => {
    const ops = await store.getOperations(req.params.service);
    const names = [...new Set(ops.map((o) => o.name))];
    return ok(names, names.length);
  });

  app.get<{ Querystring: Query }>('/api/operations', async (req) => {
    const service = req.query.service;
    if (typeof service !== 'string' || service === '')
      throw new GenbaError('bad_request', "parameter 'service' is required");
    const kind =
      typeof req.query.spanKind === 'string' && req.query.spanKind !== '' ? req.query.spanKind : undefined;
    const ops = await store.getOperations(service, kind);
    return ok(ops, ops.length);
  });

  app.get<{ Querystring: Query }>('/api/traces', async (req) => {
    // Jaeger answers ?traceID=a&traceID=b with those traces, ignoring the other parameters.
    const ids = req.query.traceID;
    if (ids !== undefined) {
      const list = (Array.isArray(ids) ? ids : [ids]).map(traceIdParam);
      const found = await store.getTraces(list);
      return ok(toJaegerTraces(adjusted(found.values())));
    }
    const query = parseTraceQuery(req.query);
    const summaries = await store.findTraces(query);
    const traces = await store.getTraces(summaries.map((s) => s.traceId));
    const ordered = summaries.map((s) => traces.get(s.traceId)).filter((t) => t !== undefined);
    return ok(toJaegerTraces(adjusted(ordered)));
  });

  // Jaeger's service graph: endTs and lookback in milliseconds, answered from ingest-time aggregates.
  app.get<{ Querystring: Query }>('/api/dependencies', async (req) => {
    const end = millisParam(req.query, 'endTs', Date.now()) * 1_000_000n;
    const lookback = millisParam(req.query, 'lookback', 86_400_000) * 1_000_000n;
    const links = await store.getDependencies(end - lookback, end);
    const data = links.map((l) => ({ parent: l.parent, child: l.child, callCount: l.callCount }));
    return ok(data, data.length);
  });

  app.get<{ Params: { traceId: string } }>('/api/traces/:traceId', async (req) => {
    const spans = await store.getTrace(traceIdParam(req.params.traceId));
    if (spans.length === 0) throw new GenbaError('not_found', 'trace not found');
    return ok([toJaegerTrace(adjustTrace(spans).spans)]);
  });
}
