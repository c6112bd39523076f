/** Building blocks the shop's handlers share: sequencing, fan-out, retries and error propagation. */
import type { Span } from '@genba/model';
import { SpanKind } from '@genba/model';
import { type HttpRequest, httpCall } from './calls.ts';
import type { Replica } from './shop-services.ts';
import type { Failure, Outcome, TraceBuilder } from './trace-builder.ts';

/** Runs `n` calls concurrently, each a little after the previous one; ends with the slowest. */
export function fanOut(
  b: TraceBuilder,
  start: bigint,
  n: number,
  call: (i: number, t: bigint) => Outcome,
): Outcome {
  let end = start;
  let failed = false;
  let t = start;
  for (let i = 0; i < n; i++) {
    const r = call(i, t);
    if (r.end > end) end = r.end;
    failed ||= r.failed;
    t += b.lat(0.04);
  }
  return { end, failed };
}

/** An INTERNAL span of the service's own code, taking about `medianMs`. */
export function work(
  b: TraceBuilder,
  replica: Replica,
  parent: Span,
  name: string,
  medianMs: number,
  start: bigint,
  attributes = {},
): Outcome {
  const span = b.open(replica, 'manual', name, SpanKind.INTERNAL, parent, start, attributes);
  const end = start + b.lat(medianMs);
  b.close(span, end);
  return { end, failed: false };
}

/** When a dependency failed, the handler throws too: its span records the exception it raised. */
export function propagate(b: TraceBuilder, span: Span, r: Outcome, failure: Failure): Outcome {
  if (r.failed) b.fail(span, failure, r.end);
  return r;
}

const BUSY: Failure = { type: 'ServiceUnavailableError', message: 'upstream overloaded, retry later' };

/**
 * An HTTP call that, when `flaky`, first hits an overloaded replica (503, status ERROR), waits a
 * backoff and tries again: two CLIENT spans with the same name under one parent, the first failed.
 */
export function httpCallWithRetry(
  b: TraceBuilder,
  parent: Span,
  caller: Replica,
  callee: Replica,
  req: HttpRequest,
  start: bigint,
  flaky: boolean,
  handle: (server: Span, t: bigint) => Outcome,
): Outcome {
  let t = start;
  if (flaky) {
    const first = httpCall(b, parent, caller, callee, req, t, (server, at) => {
      const end = at + b.lat(0.6);
      b.fail(server, BUSY, end);
      return { end, failed: true, status: 503 };
    });
    t = first.end + b.lat(25); // exponential backoff's first step, with jitter
    return httpCall(b, parent, caller, callee, { ...req, resendCount: 1 }, t, handle);
  }
  return httpCall(b, parent, caller, callee, req, t, handle);
}
