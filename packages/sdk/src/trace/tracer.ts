/**
 * `Tracer.startSpan`: resolve the parent, ask the sampler, then hand out a RecordingSpan or a
 * NonRecordingSpan. This is the hottest function in the SDK, so our own parent spans are read
 * directly instead of through a SpanContext object.
 */

import type { Scope } from '@genba/model';
import type {
  Span as ApiSpan,
  Tracer as ApiTracer,
  Context,
  SpanContext,
  SpanOptions,
  TraceState,
} from '@opentelemetry/api';
import { context as contextApi, isSpanContextValid, SpanKind, trace } from '@opentelemetry/api';
import { ROOT } from '../context/linked-context.ts';
import { reportOnce } from '../diag.ts';
import { isTracingSuppressed } from '../suppress.ts';
import { SamplingDecision } from '../types.ts';
import { fromTimeInput, now } from './clock.ts';
import { NonRecordingSpan } from './non-recording-span.ts';
import type { SpanOwner } from './recording-span.ts';
import { RecordingSpan } from './recording-span.ts';
import type { TracerProvider } from './tracer-provider.ts';

const NO_LINKS: never[] = [];
const NO_ATTRIBUTES = Object.freeze({});

export class Tracer implements ApiTracer {
  readonly #provider: TracerProvider;
  readonly #owner: SpanOwner;

  constructor(provider: TracerProvider, scope: Scope) {
    this.#provider = provider;
    this.#owner = {
      processor: provider.processor,
      limits: provider.limits,
      resource: provider.resource,
      scope,
      ids: provider.idGenerator,
    };
  }

  startSpan(name: string, options?: SpanOptions, ctx?: Context): ApiSpan {
    const provider = this.#provider;
    if (ctx === undefined) ctx = provider.activeContext();
    // The root context holds neither a parent nor suppression: skip both lookups for it.
    const atRoot = ctx === ROOT;
    if (provider.isShutdown || (!atRoot && isTracingSuppressed(ctx)))
      return new NonRecordingSpan('', 0, undefined, undefined);
    if (typeof name !== 'string') {
      reportOnce('span-name', 'startSpan: the name must be a string');
      name = String(name);
    }
    let traceId = '';
    let parentSpanId = '';
    let traceState: TraceState | undefined;
    let parentRemote = false;
    const parent = atRoot || options?.root === true ? undefined : trace.getSpan(ctx);
    if (parent instanceof RecordingSpan) {
      traceId = parent.traceId;
      parentSpanId = parent.spanId;
      traceState = parent.traceState;
    } else if (parent instanceof NonRecordingSpan) {
      traceId = parent.traceId;
      parentSpanId = parent.spanContext().spanId;
      traceState = parent.traceState;
    } else if (parent !== undefined) {
      const pc: SpanContext = parent.spanContext();
      if (isSpanContextValid(pc)) {
        traceId = pc.traceId;
        parentSpanId = pc.spanId;
        traceState = pc.traceState;
        parentRemote = pc.isRemote === true;
      }
    }
    const ids = provider.idGenerator;
    const sampler = provider.sampler;
    // A new trace's id is made now only if the sampler reads it; otherwise on first use.
    if (traceId === '' && !provider.samplerIgnoresTraceId) traceId = ids.generateTraceId();
    const kind = options?.kind ?? SpanKind.INTERNAL;
    const attributes = options?.attributes ?? NO_ATTRIBUTES;
    const links = options?.links ?? NO_LINKS;
    // The parent context given to the sampler must not be the suppressed one: it is `ctx`.
    const result = sampler.shouldSample(ctx, traceId, name, kind, attributes, links);
    if (result.traceState !== undefined) traceState = result.traceState;
    if (result.decision === SamplingDecision.NOT_RECORD)
      return new NonRecordingSpan(traceId, 0, traceState, ids);
    const flags = result.decision === SamplingDecision.RECORD_AND_SAMPLED ? 1 : 0;
    let start: number;
    if (options?.startTime === undefined) start = now();
    else {
      start = fromTimeInput(options.startTime);
      if (Number.isNaN(start)) {
        reportOnce('start-time', 'startSpan: invalid startTime; using now');
        start = now();
      }
    }
    const span = new RecordingSpan(
      this.#owner,
      traceId,
      parentSpanId,
      flags,
      traceState,
      name,
      kind,
      start,
      parentRemote,
    );
    if (attributes !== NO_ATTRIBUTES) span.setAttributes(attributes);
    if (result.attributes !== undefined) span.setAttributes(result.attributes);
    if (links !== NO_LINKS) span.addLinks(links);
    try {
      this.#owner.processor.onStart(span, ctx);
    } catch (err) {
      reportOnce('processor-onStart', 'a span processor threw in onStart', err);
    }
    return span;
  }

  startActiveSpan<F extends (span: ApiSpan) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: ApiSpan) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let parent: Context | undefined;
    let fn: F | undefined;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else {
      options = a;
      parent = b;
      fn = c;
    }
    if (typeof fn !== 'function') {
      reportOnce('startActiveSpan-fn', 'startActiveSpan: the last argument must be a function');
      return undefined;
    }
    const ctx = parent ?? this.#provider.activeContext();
    const span = this.startSpan(name, options, ctx);
    return contextApi.with(trace.setSpan(ctx, span), fn as (s: ApiSpan) => ReturnType<F>, undefined, span);
  }
}
