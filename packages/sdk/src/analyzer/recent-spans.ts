/**
 * A span processor that keeps the most recently finished spans for the local analyzer: a
 * bounded ring (full → the oldest span is overwritten, and counted as dropped) with an index by
 * trace id. `onEnd` only stores the ended span object in the ring. The index is brought up to
 * date, and spans converted to model spans, by the first query that needs them: ending a span
 * pays for one array store, and reading a trace id (which may make it) is left to queries.
 */
import type { Context } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { optionInt } from '../export/env.ts';
import type { ReadableSpan, SpanData, SpanProcessor } from '../types.ts';

export const DEFAULT_MAX_SPANS = 10_000;

export interface RecentSpansOptions {
  /** Finished spans kept at most; beyond that the oldest is dropped. Default 10,000. */
  maxSpans?: number;
}

export interface RecentSpansStats {
  /** Spans held now. */
  spans: number;
  /** Traces with at least one span held now. */
  traces: number;
  maxSpans: number;
  /** Spans pushed out of the ring by newer ones since the start. */
  droppedSpans: number;
}

/** The spans of one trace that are still in the ring, oldest first. */
export class TraceSpans {
  readonly traceId: string;
  /** Changes whenever a span of this trace is filed or forgotten. */
  version = 0;
  // Parallel arrays from #first on; `null` in #data marks a span whose conversion failed.
  #spans: (ReadableSpan | undefined)[] = [];
  #data: (SpanData | null | undefined)[] = [];
  #first = 0;

  constructor(traceId: string) {
    this.traceId = traceId;
  }

  get size(): number {
    return this.#spans.length - this.#first;
  }

  push(span: ReadableSpan, version: number): void {
    this.#spans.push(span);
    this.#data.push(undefined);
    this.version = version;
  }

  /** Forgets the oldest span: the ring evicts in the order spans were pushed, trace by trace too. */
  shift(version: number): void {
    this.#spans[this.#first] = undefined;
    this.#data[this.#first] = undefined;
    this.#first++;
    this.version = version;
    // Compact now and then, so a long-lived trace does not keep a growing hole at the front.
    if (this.#first > 32 && this.#first * 2 > this.#spans.length) {
      this.#spans = this.#spans.slice(this.#first);
      this.#data = this.#data.slice(this.#first);
      this.#first = 0;
    }
  }

  /** The held spans as model spans, each converted once; a span that fails to convert is left out. */
  spanData(): SpanData[] {
    const out: SpanData[] = [];
    for (let i = this.#first; i < this.#spans.length; i++) {
      let d = this.#data[i];
      if (d === undefined) {
        try {
          d = (this.#spans[i] as ReadableSpan).toSpanData();
        } catch (err) {
          reportOnce('analyzer:convert', 'local analyzer: a span could not be converted; left out', err);
          d = null;
        }
        this.#data[i] = d;
      }
      if (d !== null) out.push(d);
    }
    return out;
  }
}

export class RecentSpans implements SpanProcessor {
  readonly maxSpans: number;
  // The ring: span number n (counted from the first ever) sits in slot n % maxSpans.
  readonly #slots: (ReadableSpan | undefined)[];
  // The trace each indexed slot's span was filed under; kept until that span is evicted.
  readonly #slotTrace: (TraceSpans | undefined)[];
  #written = 0;
  // Spans numbered below #indexed are in #byTrace (or were, until evicted).
  #indexed = 0;
  // The oldest span number #byTrace still holds.
  #low = 0;
  #closed = false;
  readonly #byTrace = new Map<string, TraceSpans>();

  constructor(options: RecentSpansOptions = {}) {
    this.maxSpans = optionInt('analyzer.maxSpans', options.maxSpans, DEFAULT_MAX_SPANS, 1);
    this.#slots = new Array(this.maxSpans);
    this.#slotTrace = new Array(this.maxSpans);
  }

  onStart(_span: ReadableSpan, _parentContext: Context): void {}

  /** One store into the ring: not even the trace id is read here (it may not exist yet). */
  onEnd(span: ReadableSpan): void {
    if (this.#closed) return;
    this.#slots[this.#written % this.maxSpans] = span;
    this.#written++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Stops taking spans; what is held stays readable. */
  shutdown(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  /** Changes whenever any span enters (and so whenever one leaves) the ring: a key for caches. */
  get version(): number {
    return this.#written;
  }

  stats(): RecentSpansStats {
    this.#catchUp();
    const spans = Math.min(this.#written, this.maxSpans);
    return {
      spans,
      traces: this.#byTrace.size,
      maxSpans: this.maxSpans,
      droppedSpans: this.#written - spans,
    };
  }

  trace(traceId: string): TraceSpans | undefined {
    this.#catchUp();
    return this.#byTrace.get(traceId);
  }

  traces(): IterableIterator<TraceSpans> {
    this.#catchUp();
    return this.#byTrace.values();
  }

  /** Brings the index up to the ring: forgets evicted spans, then files the new ones by trace. */
  #catchUp(): void {
    const written = this.#written;
    if (this.#indexed === written) return;
    const low = Math.max(0, written - this.maxSpans);
    for (let n = this.#low; n < Math.min(low, this.#indexed); n++) {
      const slot = n % this.maxSpans;
      const trace = this.#slotTrace[slot];
      if (trace === undefined) continue;
      this.#slotTrace[slot] = undefined;
      trace.shift(written);
      if (trace.size === 0) this.#byTrace.delete(trace.traceId);
    }
    this.#low = low;
    for (let n = Math.max(this.#indexed, low); n < written; n++) {
      const slot = n % this.maxSpans;
      const span = this.#slots[slot] as ReadableSpan;
      try {
        const traceId = span.traceId;
        if (typeof traceId !== 'string') continue;
        let trace = this.#byTrace.get(traceId);
        if (trace === undefined) {
          trace = new TraceSpans(traceId);
          this.#byTrace.set(traceId, trace);
        }
        trace.push(span, written);
        this.#slotTrace[slot] = trace;
      } catch (err) {
        reportOnce('analyzer:traceId', 'local analyzer: a span without a readable trace id; left out', err);
      }
    }
    this.#indexed = written;
  }
}
