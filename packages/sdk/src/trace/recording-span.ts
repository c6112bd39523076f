/**
 * The span the SDK records. Kept lean, because every live span costs heap: times are numbers
 * relative to the time origin, rarely used state sits behind one lazily made object, and the
 * OTLP-shaped copy for exporters is built only at export (`toSpanData`).
 */

import type { Span as ModelSpan, Resource, Scope, SpanEvent, SpanLink } from '@genba/model';
import type {
  Span as ApiSpan,
  Attributes,
  AttributeValue,
  Exception,
  Link,
  SpanContext,
  SpanStatus,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { ReadableSpan, SpanData, SpanProcessor } from '../types.ts';
import { AttributeBag, mergeAttributes, sanitizeValue } from './attribute-values.ts';
import { fromTimeInput, now, toEpochNanos } from './clock.ts';
import type { IdGenerator } from './id-generator.ts';
import type { SpanLimits } from './span-limits.ts';
import { toModelAttributes } from './to-model-attributes.ts';

/** What the tracer shares with all its spans. */
export interface SpanOwner {
  readonly processor: SpanProcessor;
  readonly limits: SpanLimits;
  readonly resource: Resource;
  readonly scope: Scope;
  readonly ids: IdGenerator;
}

interface RecordedEvent {
  name: string;
  time: number;
  attributes: Attributes | undefined;
  dropped: number;
}

/** State most spans never touch. */
interface Rare {
  events: RecordedEvent[] | undefined;
  links: Link[] | undefined;
  droppedEvents: number;
  droppedLinks: number;
  statusMessage: string;
  context: SpanContext | undefined;
  traceState: TraceState | undefined;
  droppedAttributes: number;
}

const KIND_SHIFT = 10;
const STATUS_SHIFT = 13;
const FLAG_REMOTE_PARENT = 0x300; // OTLP span flags: HAS_IS_REMOTE | IS_REMOTE
const FLAG_HAS_REMOTE = 0x100;

export class RecordingSpan implements ApiSpan, ReadableSpan {
  readonly #owner: SpanOwner;
  // '' until first read: a span nobody links to or propagates gets its ids only at export.
  #traceId: string;
  #spanId = '';
  readonly parentSpanId: string;
  // trace flags (bits 0–9, OTLP layout), kind (bits 10–12), status code (bits 13–14)
  #bits: number;
  #name: string;
  readonly #start: number;
  // undefined while open: a double-typed field would cost a heap box per span
  #end: number | undefined;
  #attributes: Attributes | undefined;
  #attributeCount = 0;
  #rare: Rare | undefined;

  constructor(
    owner: SpanOwner,
    traceId: string,
    parentSpanId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
    name: string,
    kind: number,
    start: number,
    // parent's isRemote, folded into the flags bits so it needs no slot of its own
    parentRemote: boolean,
  ) {
    this.#owner = owner;
    this.#traceId = traceId;
    this.parentSpanId = parentSpanId;
    this.#bits =
      (parentRemote ? traceFlags | FLAG_REMOTE_PARENT : traceFlags | FLAG_HAS_REMOTE) | (kind << KIND_SHIFT);
    this.#name = name;
    this.#start = start;
    if (traceState !== undefined) this.#rareState().traceState = traceState;
  }

  get traceId(): string {
    if (this.#traceId === '') this.#traceId = this.#owner.ids.generateTraceId();
    return this.#traceId;
  }

  get spanId(): string {
    if (this.#spanId === '') this.#spanId = this.#owner.ids.generateSpanId();
    return this.#spanId;
  }

  get name(): string {
    return this.#name;
  }

  get traceState(): TraceState | undefined {
    return this.#rare?.traceState;
  }

  get sampled(): boolean {
    return (this.#bits & 1) === 1;
  }

  /** True once `end` was called. */
  get ended(): boolean {
    return this.#end !== undefined;
  }

  get #status(): number {
    return (this.#bits >>> STATUS_SHIFT) & 3;
  }

  set #status(code: number) {
    this.#bits = (this.#bits & ~(3 << STATUS_SHIFT)) | (code << STATUS_SHIFT);
  }

  spanContext(): SpanContext {
    const rare = this.#rareState();
    if (rare.context === undefined) {
      rare.context = { traceId: this.traceId, spanId: this.spanId, traceFlags: this.#bits & 0xff };
      if (rare.traceState !== undefined) rare.context.traceState = rare.traceState;
    }
    return rare.context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.#end !== undefined) return this.#late('setAttribute');
    if (typeof key !== 'string' || key === '') {
      reportOnce('attr-key', 'attribute dropped: keys must be non-empty strings');
      return this;
    }
    const limits = this.#owner.limits;
    let v: AttributeValue | undefined = value;
    const t = typeof value;
    // The common cases inline; arrays and oddities go through the full check.
    if (t === 'string') {
      if ((value as string).length > limits.attributeValueLengthLimit)
        v = (value as string).slice(0, limits.attributeValueLengthLimit);
    } else if (t !== 'number' && t !== 'boolean') {
      v = sanitizeValue(key, value, limits.attributeValueLengthLimit);
      if (v === undefined) return this;
    }
    let attrs = this.#attributes;
    if (attrs === undefined) {
      attrs = new AttributeBag();
      this.#attributes = attrs;
    }
    if (attrs[key] === undefined) {
      if (this.#attributeCount >= limits.attributeCountLimit) {
        this.#rareState().droppedAttributes++;
        return this;
      }
      this.#attributeCount++;
    }
    attrs[key] = v;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this.#end !== undefined) return this.#late('setAttributes');
    if (attributes === null || typeof attributes !== 'object') return this;
    if (this.#attributes === undefined) this.#attributes = new AttributeBag();
    const limits = this.#owner.limits;
    const r = mergeAttributes(
      this.#attributes,
      attributes,
      limits.attributeCountLimit,
      limits.attributeValueLengthLimit,
      this.#attributeCount,
    );
    this.#attributeCount = r.count;
    if (r.dropped > 0) this.#rareState().droppedAttributes += r.dropped;
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#end !== undefined) return this.#late('addEvent');
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attributes = attributesOrTime;
    const rare = this.#rareState();
    const limits = this.#owner.limits;
    rare.events ??= [];
    if (rare.events.length >= limits.eventCountLimit) {
      rare.droppedEvents++;
      reportOnce('event-limit', `span event dropped: more than ${limits.eventCountLimit} events on one span`);
      return this;
    }
    let recorded: Attributes | undefined;
    let dropped = 0;
    if (attributes !== undefined && attributes !== null && typeof attributes === 'object') {
      recorded = {};
      dropped = mergeAttributes(
        recorded,
        attributes,
        limits.attributePerEventCountLimit,
        limits.attributeValueLengthLimit,
        0,
      ).dropped;
    }
    rare.events.push({ name: String(name), time: this.#time(time), attributes: recorded, dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.#end !== undefined) return this.#late('addLink');
    const rare = this.#rareState();
    rare.links ??= [];
    if (rare.links.length >= this.#owner.limits.linkCountLimit) {
      rare.droppedLinks++;
      return this;
    }
    rare.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.#end !== undefined) return this.#late('setStatus');
    const code = status?.code;
    // OK is final; UNSET never overrides; a message only goes with ERROR (OTel spec).
    if (this.#status === SpanStatusCode.OK || code === SpanStatusCode.UNSET) return this;
    if (code === SpanStatusCode.OK) {
      this.#status = code;
      if (this.#rare !== undefined) this.#rare.statusMessage = '';
    } else if (code === SpanStatusCode.ERROR) {
      this.#status = code;
      const message = status.message;
      if (typeof message === 'string') this.#rareState().statusMessage = message;
    } else reportOnce('status-code', `setStatus ignored: unknown code ${String(code)}`);
    return this;
  }

  updateName(name: string): this {
    if (this.#end !== undefined) return this.#late('updateName');
    this.#name = String(name);
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.#end !== undefined) {
      this.#late('end');
      return;
    }
    let end = endTime === undefined ? now() : fromTimeInput(endTime);
    if (Number.isNaN(end)) {
      reportOnce('end-time', 'end(): invalid time; using now');
      end = now();
    }
    // A span never ends before it starts; clamp rather than export a negative duration.
    this.#end = end < this.#start ? this.#start : end;
    try {
      this.#owner.processor.onEnd(this);
    } catch (err) {
      reportOnce('processor-onEnd', 'a span processor threw in onEnd', err);
    }
  }

  isRecording(): boolean {
    return this.#end === undefined;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception !== null && typeof exception === 'object') {
      const e = exception as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown };
      const type = e.name ?? e.code;
      if (type !== undefined) attributes['exception.type'] = String(type);
      if (e.message !== undefined) attributes['exception.message'] = String(e.message);
      if (e.stack !== undefined) attributes['exception.stacktrace'] = String(e.stack);
    }
    if (attributes['exception.type'] === undefined && attributes['exception.message'] === undefined)
      attributes['exception.message'] = String(exception);
    this.addEvent('exception', attributes, time);
  }

  /** The OTLP-shaped copy exporters take. Call it after `end`, off the hot path. */
  toSpanData(): SpanData {
    const owner = this.#owner;
    const rare = this.#rare;
    const span: ModelSpan = {
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parentSpanId,
      traceState: rare?.traceState?.serialize() ?? '',
      flags: this.#bits & 0x3ff,
      name: this.#name,
      kind: (((this.#bits >>> KIND_SHIFT) & 7) + 1) as ModelSpan['kind'],
      startTimeUnixNano: toEpochNanos(this.#start),
      endTimeUnixNano: toEpochNanos(this.#end ?? now()),
      attributes: this.#attributes === undefined ? {} : toModelAttributes(this.#attributes),
      droppedAttributesCount: rare?.droppedAttributes ?? 0,
      events: rare?.events === undefined ? [] : rare.events.map(toModelEvent),
      droppedEventsCount: rare?.droppedEvents ?? 0,
      links: rare?.links === undefined ? [] : rare.links.map((l) => toModelLink(l, owner.limits)),
      droppedLinksCount: rare?.droppedLinks ?? 0,
      status: { code: this.#status as ModelSpan['status']['code'], message: rare?.statusMessage ?? '' },
      resource: owner.resource,
      scope: owner.scope,
    };
    return span;
  }

  #rareState(): Rare {
    this.#rare ??= {
      events: undefined,
      links: undefined,
      droppedEvents: 0,
      droppedLinks: 0,
      statusMessage: '',
      context: undefined,
      traceState: undefined,
      droppedAttributes: 0,
    };
    return this.#rare;
  }

  #time(t: TimeInput | undefined): number {
    if (t === undefined) return now();
    const ms = fromTimeInput(t);
    if (Number.isNaN(ms)) {
      reportOnce('time-input', 'invalid time input; using now');
      return now();
    }
    return ms;
  }

  #late(op: string): this {
    reportOnce(`late:${op}`, `${op}() called on an ended span (${this.#name}); ignored`);
    return this;
  }
}

function isTimeInput(v: unknown): v is TimeInput {
  return (
    typeof v === 'number' ||
    v instanceof Date ||
    (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number')
  );
}

function toModelEvent(e: RecordedEvent): SpanEvent {
  return {
    timeUnixNano: toEpochNanos(e.time),
    name: e.name,
    attributes: e.attributes === undefined ? {} : toModelAttributes(e.attributes),
    droppedAttributesCount: e.dropped,
  };
}

function toModelLink(l: Link, limits: SpanLimits): SpanLink {
  const attributes: Attributes = {};
  let dropped = 0;
  if (l.attributes !== undefined)
    dropped = mergeAttributes(
      attributes,
      l.attributes,
      limits.attributePerLinkCountLimit,
      limits.attributeValueLengthLimit,
      0,
    ).dropped;
  return {
    traceId: l.context.traceId,
    spanId: l.context.spanId,
    traceState: l.context.traceState?.serialize() ?? '',
    attributes: toModelAttributes(attributes),
    droppedAttributesCount: dropped + (l.droppedAttributesCount ?? 0),
    flags: (l.context.traceFlags & 0xff) | (l.context.isRemote ? FLAG_REMOTE_PARENT : FLAG_HAS_REMOTE),
  };
}
