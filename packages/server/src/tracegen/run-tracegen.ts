/**
 * Sends generated traces to an OTLP/HTTP endpoint at a steady rate, like OpenTelemetry's tracegen:
 * every tick it sends the traces that are due so far as one protobuf request.
 */
import type { Span } from '@genba/model';
import { encodeTraceRequest } from '@genba/otlp';
import { generateTrace } from './generate-trace.ts';
import { mulberry32, type Rng } from './random.ts';

export interface TracegenOptions {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318; spans go to `${endpoint}/v1/traces`. */
  endpoint: string;
  /** Traces per second. */
  rate: number;
  durationMs: number;
  signal?: AbortSignal;
  /** Called after each request settles, with the totals accepted so far. */
  onProgress?: (p: { traces: number; spans: number }) => void;
  /** Seed for the generator; the same seed and rate give the same traces (except their times). */
  seed?: number;
  /** How often a batch goes out; default 100 ms. */
  tickMs?: number;
  /** Requests allowed in flight before the sender waits; default 4. */
  maxInFlight?: number;
  /** At most this many traces per request; bigger ticks are split. Default 1000. */
  maxBatchTraces?: number;
  headers?: Record<string, string>;
  /** The trace generator; tests wrap it to see what was sent. */
  generate?: (rng: Rng, startNanos: bigint) => Span[];
}

export interface TracegenResult {
  /** Traces and spans the endpoint accepted (2xx). */
  traces: number;
  spans: number;
  /** Ids of the accepted traces, in the order their requests completed. */
  traceIds: string[];
  /** Traces whose request failed: a non-2xx answer, a network error or a timeout. */
  failed: number;
}

const REQUEST_TIMEOUT_MS = 30_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runTracegen(opts: TracegenOptions): Promise<TracegenResult> {
  const tickMs = opts.tickMs ?? 100;
  const maxInFlight = opts.maxInFlight ?? 4;
  const maxBatch = opts.maxBatchTraces ?? 1000;
  const generate = opts.generate ?? generateTrace;
  const rng = mulberry32(opts.seed ?? Date.now() % 2 ** 32);
  const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const headers = { ...opts.headers, 'content-type': 'application/x-protobuf' };
  const result: TracegenResult = { traces: 0, spans: 0, traceIds: [], failed: 0 };
  const total = Math.floor((opts.rate * opts.durationMs) / 1000);
  const inFlight = new Set<Promise<void>>();

  const send = async (spans: Span[], ids: string[]): Promise<void> => {
    let ok = false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body: encodeTraceRequest(spans),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer(); // drain, so the connection can be reused
      ok = res.ok;
    } catch {
      ok = false; // network error or timeout: counted, never thrown
    }
    if (ok) {
      result.traces += ids.length;
      result.spans += spans.length;
      for (const id of ids) result.traceIds.push(id);
    } else {
      result.failed += ids.length;
    }
    opts.onProgress?.({ traces: result.traces, spans: result.spans });
  };

  const dispatch = async (count: number): Promise<void> => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const spread = BigInt(tickMs) * 1_000_000n;
    for (let done = 0; done < count; ) {
      const n = Math.min(maxBatch, count - done);
      const spans: Span[] = [];
      const ids: string[] = [];
      for (let i = 0; i < n; i++, done++) {
        // Spread the tick's traces over the tick, so start times are not all equal.
        const trace = generate(rng, now - spread + (spread * BigInt(done)) / BigInt(count));
        ids.push(trace[0].traceId);
        for (const s of trace) spans.push(s);
      }
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const p = send(spans, ids).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };

  const started = performance.now();
  let generated = 0;
  for (let tick = 1; ; tick++) {
    const elapsed = Math.min(performance.now() - started, opts.durationMs);
    const due = Math.min(total, Math.floor((opts.rate * elapsed) / 1000)) - generated;
    if (due > 0 && !opts.signal?.aborted) {
      generated += due;
      await dispatch(due);
    }
    if (elapsed >= opts.durationMs || opts.signal?.aborted) break;
    await sleep(Math.min(tick * tickMs, opts.durationMs) + started - performance.now(), opts.signal);
  }
  await Promise.all(inFlight);
  return result;
}
