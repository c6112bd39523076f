/**
 * Overload, bounded: many more spans at once than the memory limiter lets in flight, over
 * OTLP/HTTP and OTLP/gRPC on loopback. Clients get 429 / RESOURCE_EXHAUSTED with a retry delay,
 * RSS stays under the configured limit, and every span is either stored (each accepted trace
 * whole) or counted as refused: none vanish, and nothing refused is stored.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { encodeTraceRequest } from '@genba/otlp';
import * as grpc from '@grpc/grpc-js';
import { exportRaw, RawClient } from '../../collector/test/support/raw-trace-client.ts';
import { generateTrace, mulberry32 } from '../src/index.ts';
import { withTempServer } from './helpers.ts';

const LIMIT_MIB = 3000;
const IN_FLIGHT = 8000;
const REQUESTS = 96;
const SPANS_PER_REQUEST = 2000;
const CONCURRENCY = 16;

function batches(): { body: Buffer; traceIds: Set<string>; spans: number }[] {
  const rng = mulberry32(11);
  const now = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: REQUESTS }, (_, i) => {
    const spans: Span[] = [];
    while (spans.length < SPANS_PER_REQUEST) spans.push(...generateTrace(rng, now - BigInt(i) * 1_000_000n));
    return {
      body: Buffer.from(encodeTraceRequest(spans)),
      traceIds: new Set(spans.map((s) => s.traceId)),
      spans: spans.length,
    };
  });
}

function metric(text: string, re: RegExp): number {
  return [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
}

test('overload: refused with a retry delay, RSS bounded, every span stored or counted as refused', async (t) => {
  const server = await withTempServer({
    config: {
      receivers: { otlp: { protocols: { http: {}, grpc: {} } } },
      processors: {
        memory_limiter: { limit_mib: LIMIT_MIB, spike_limit_mib: 500, max_in_flight_spans: IN_FLIGHT },
      },
      exporters: { store: {} },
      service: {
        pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['store'] } },
      },
      genba: { retention: '0' },
    },
  });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const client = new RawClient(server.endpoints.otlp.grpc, grpc.credentials.createInsecure());
  try {
    const work = batches();
    const accepted: typeof work = [];
    const refused: typeof work = [];
    const retryHints: string[] = [];
    let next = 0;
    const sendOne = async (b: (typeof work)[number], i: number) => {
      if (i % 2 === 0) {
        const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body: b.body,
        });
        await res.arrayBuffer();
        if (res.status === 200) return accepted.push(b);
        assert.equal(res.status, 429, `unexpected HTTP ${res.status}`);
        retryHints.push(`http:${res.headers.get('retry-after')}`);
        return refused.push(b);
      }
      const { err } = await exportRaw(client, b.body);
      if (!err) return accepted.push(b);
      assert.equal(err.code, grpc.status.RESOURCE_EXHAUSTED, `unexpected gRPC ${err.code}: ${err.details}`);
      retryHints.push(`grpc:${err.metadata.get('grpc-status-details-bin').length}`);
      return refused.push(b);
    };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < work.length) {
          const i = next++;
          await sendOne(work[i], i);
        }
      }),
    );

    assert.ok(refused.length > 0, 'the load must exceed what the limiter lets in');
    assert.ok(accepted.length > 0, 'some requests must get through');
    assert.equal(accepted.length + refused.length, REQUESTS);
    for (const h of retryHints) assert.ok(h === 'http:1' || h === 'grpc:1', `retry hint missing: ${h}`);
    assert.ok(retryHints.some((h) => h.startsWith('http')) && retryHints.some((h) => h.startsWith('grpc')));
    assert.ok(peakRss < LIMIT_MIB * 1024 * 1024, `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);

    // Every accepted trace is whole in the store; nothing of a refused request is.
    const check = async (ids: string[]) => {
      const found = new Map<string, number>();
      for (let i = 0; i < ids.length; i += 400)
        for (const [id, spans] of await server.store.getTraces(ids.slice(i, i + 400)))
          found.set(id, spans.length);
      return found;
    };
    const storedAccepted = await check(accepted.flatMap((b) => [...b.traceIds]));
    const storedSpans = [...storedAccepted.values()].reduce((a, b) => a + b, 0);
    assert.equal(
      storedSpans,
      accepted.reduce((n, b) => n + b.spans, 0),
    );
    const storedRefused = await check(refused.flatMap((b) => [...b.traceIds]));
    assert.equal(storedRefused.size, 0);

    t.diagnostic(
      `${accepted.length} requests accepted (${storedSpans} spans stored), ${refused.length} refused; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    const text = await (await fetch(`${server.urls.query}/metrics`)).text();
    const refusedSpans = refused.reduce((n, b) => n + b.spans, 0);
    assert.equal(
      metric(text, /genba_receiver_spans_total\{receiver="otlp_(?:http|grpc)",outcome="refused"\} (\d+)/g),
      refusedSpans,
    );
    assert.equal(
      metric(text, /genba_processor_spans_refused_total\{processor="memory_limiter",reason="\w+"\} (\d+)/g),
      refusedSpans,
    );
    assert.equal(
      metric(text, /genba_receiver_spans_total\{receiver="otlp_(?:http|grpc)",outcome="accepted"\} (\d+)/g),
      storedSpans,
    );
  } finally {
    clearInterval(sampler);
    client.close();
    await server.close();
  }
});
