/** Builds the spans of one synthetic trace: ids, scopes, times, errors and the occasional slow path. */
import type { Attributes, Span, SpanKind } from '@genba/model';
import { emptySpan, StatusCode } from '@genba/model';
import { latency, type Rng, randomId } from './random.ts';
import type { Instrumentation, Replica } from './shop-services.ts';

/** What a piece of work reports to its caller: when it ended and whether it failed. */
export interface Outcome {
  end: bigint;
  failed: boolean;
  /** HTTP status a server answers with; 200 or 500 when absent. */
  status?: number;
}

/** Where a trace's slow path is: the dependency whose calls take ten times longer. */
export type SlowTarget = 'postgresql' | 'redis' | 'payments' | 'kafka';

export interface Failure {
  type: string;
  message: string;
}

const STACK: Record<string, (f: Failure, svc: string) => string> = {
  nodejs: (f, s) =>
    `${f.type}: ${f.message}\n    at handle (/app/${s}/src/handler.js:87:13)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
  go: (f, s) =>
    `goroutine 1 [running]:\nmain.(*server).handle(...)\n\t/src/${s}/internal/server/handler.go:142 +0x1d4\n${f.type}: ${f.message}`,
  java: (f, s) =>
    `${f.type}: ${f.message}\n\tat shop.${s}.Handler.handle(Handler.java:64)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)`,
  python: (f, s) =>
    `Traceback (most recent call last):\n  File "/app/${s}/handler.py", line 58, in handle\n    raise ${f.type}("${f.message}")\n${f.type}: ${f.message}`,
};

export class TraceBuilder {
  readonly spans: Span[] = [];
  readonly traceId: string;

  constructor(
    readonly rng: Rng,
    readonly slow: SlowTarget | undefined,
  ) {
    this.traceId = randomId(rng, 4);
  }

  /** A latency around `medianMs`, ten times longer when `target` is this trace's slow path. */
  lat(medianMs: number, target?: SlowTarget): bigint {
    const d = latency(this.rng, medianMs);
    return target !== undefined && target === this.slow ? d * 10n : d;
  }

  open(
    replica: Replica,
    scope: Instrumentation | 'manual',
    name: string,
    kind: SpanKind,
    parent: Span | undefined,
    start: bigint,
    attributes: Attributes = {},
  ): Span {
    const span = emptySpan(replica.resource, replica.scopes[scope]);
    span.traceId = this.traceId;
    span.spanId = randomId(this.rng, 2);
    span.parentSpanId = parent?.spanId ?? '';
    span.flags = 1; // sampled
    span.name = name;
    span.kind = kind;
    span.startTimeUnixNano = start;
    span.endTimeUnixNano = start;
    span.attributes = attributes;
    this.spans.push(span);
    return span;
  }

  close(span: Span, end: bigint): void {
    span.endTimeUnixNano = end > span.startTimeUnixNano ? end : span.startTimeUnixNano + 1000n;
  }

  /** Marks a span failed the way instrumentations do: status ERROR plus an `exception` event. */
  fail(span: Span, failure: Failure, at: bigint, describe = true): void {
    const lang = span.resource.attributes['telemetry.sdk.language'] as string;
    const svc = span.resource.attributes['service.name'] as string;
    span.status = { code: StatusCode.ERROR, message: describe ? failure.message : '' };
    span.events.push({
      timeUnixNano: at,
      name: 'exception',
      attributes: {
        'exception.type': failure.type,
        'exception.message': failure.message,
        'exception.stacktrace': (STACK[lang] ?? STACK.nodejs)(failure, svc),
      },
      droppedAttributesCount: 0,
    });
  }

  /** Status ERROR without an event: how HTTP instrumentations mark a 5xx they only observed. */
  markError(span: Span): void {
    span.status = { code: StatusCode.ERROR, message: '' };
  }
}
