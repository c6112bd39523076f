/**
 * The span the SDK records. Kept lean, because every live span costs heap: times are numbers
 * relative to the time origin, rarely used state sits behind one lazily made object, and the
 * OTLP-shaped copy for exporters is built only at export (`toSpanData`).
 */
import type {
  Attributes,
  AttributeValue,
  Exception,
  Link,
  SpanContext,
  SpanStatus,
  TimeInput,
  TraceState,
  Span as ApiSpan,
} from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Resource, Scope, SpanEvent, SpanLink, Span as ModelSpan } from '@genba/model';
import { reportOnce } from '../diag.ts';
import type { ReadableSpan, SpanData, SpanProcessor } from '../types.ts';
import { hasOwn, mergeAttributes, sanitizeValue, setOwn } from './attribute-values.ts';
import { fromTimeInput, now, toEpochNanos } from './clock.ts';
import type { SpanLimits } from './span-limits.ts';
import { toModelAttributes } from './to-model-attributes.ts';

/** What the tracer shares with all its spans. */
export interface SpanOwner {
  readonly processor: SpanProcessor;
  readonly limits: SpanLimits;
  readonly resource: Resource;
  readonly scope: Scope;
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
}

// End time of a span still open. Relative times of historic spans are negative, so not -1.
const OPEN = Number.NEGATIVE_INFINITY;
const FLAG_REMOTE_PARENT = 0x300; // OTLP span flags: HAS_IS_REMOTE | IS_REMOTE
const FLAG_HAS_REMOTE = 0x100;

export class RecordingSpan implements ApiSpan, ReadableSpan {
  readonly #owner: SpanOwner;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly #traceFlags: number;
  readonly #traceState: TraceState | undefined;
  #name: string;
  readonly #kind: number;
  readonly #start: number;
  #end = OPEN;
  #attributes: Attributes | undefined;
  #attributeCount = 0;
  #droppedAttributes = 0;
  #status: number = SpanStatusCode.UNSET;
  #rare: Rare | undefined;

  constructor(
    owner: SpanOwner,
    traceId: string,
    spanId: string,
    parentSpanId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
    name: string,
    kind: number,
    start: number,
    // parent's isRemote, folded into the flags field so it needs no slot of its own
    parentRemote: boolean,
  ) {
    this.#owner = owner;
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.#traceFlags = parentRemote ? traceFlags | FLAG_REMOTE_PARENT : traceFlags | FLAG_HAS_REMOTE;
    this.#traceState = traceState;
    this.#name = name;
    this.#kind = kind;
    this.#start = start;
  }

  get name(): string {
    return this.#name;
  }

  get traceState(): TraceState | undefined {
    return this.#traceState;
  }

  get sampled(): boolean {
    return (this.#traceFlags & 1) === 1;
  }

  /** True once `end` was called. */
  get ended(): boolean {
    return this.#end !== OPEN;
  }

  spanContext(): SpanContext {
    const rare = this.#rareState();
    if (rare.context === undefined) {
      rare.context = { traceId: this.traceId, spanId: this.spanId, traceFlags: this.#traceFlags & 0xff };
      if (this.#traceState !== undefined) rare.context.traceState = this.#traceState;
    }
    return rare.context;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.#end !== OPEN) return this.#late('setAttribute');
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
      attrs = {};
      this.#attributes = attrs;
    }
    if (!hasOwn.call(attrs, key)) {
      if (this.#attributeCount >= limits.attributeCountLimit) {
        this.#droppedAttributes++;
        return this;
      }
      this.#attributeCount++;
    }
    if (key === '__proto__') setOwn(attrs, key, v as AttributeValue);
    else attrs[key] = v;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this.#end !== OPEN) return this.#late('setAttributes');
    if (attributes === null || typeof attributes !== 'object') return this;
    if (this.#attributes === undefined) this.#attributes = {};
    const limits = this.#owner.limits;
    const r = mergeAttributes(
      this.#attributes,
      attributes,
      limits.attributeCountLimit,
      limits.attributeValueLengthLimit,
      this.#attributeCount,
    );
    this.#attributeCount = r.count;
    this.#droppedAttributes += r.dropped;
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#end !== OPEN) return this.#late('addEvent');
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
    if (this.#end !== OPEN) return this.#late('addLink');
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
    if (this.#end !== OPEN) return this.#late('setStatus');
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
    if (this.#end !== OPEN) return this.#late('updateName');
    this.#name = String(name);
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.#end !== OPEN) {
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
    return this.#end === OPEN;
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
      traceState: this.#traceState?.serialize() ?? '',
      flags: this.#traceFlags,
      name: this.#name,
      kind: (this.#kind + 1) as ModelSpan['kind'],
      startTimeUnixNano: toEpochNanos(this.#start),
      endTimeUnixNano: toEpochNanos(this.#end !== OPEN ? this.#end : now()),
      attributes: this.#attributes === undefined ? {} : toModelAttributes(this.#attributes),
      droppedAttributesCount: this.#droppedAttributes,
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
  return typeof v === 'number' || v instanceof Date || (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number');
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
    dropped = mergeAttributes(attributes, l.attributes, limits.attributePerLinkCountLimit, limits.attributeValueLengthLimit, 0)
      .dropped;
  return {
    traceId: l.context.traceId,
    spanId: l.context.spanId,
    traceState: l.context.traceState?.serialize() ?? '',
    attributes: toModelAttributes(attributes),
    droppedAttributesCount: dropped + (l.droppedAttributesCount ?? 0),
    flags: (l.context.traceFlags & 0xff) | (l.context.isRemote ? FLAG_REMOTE_PARENT : FLAG_HAS_REMOTE),
  };
}
