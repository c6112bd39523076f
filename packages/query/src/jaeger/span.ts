/** One model span to a Jaeger v1 span, with the tags, references and logs Jaeger derives from OTLP. */
import type { Span, SpanEvent, SpanLink } from '@genba/model';
import { jaegerTraceId, nanosToMicros, SpanKind, StatusCode } from '@genba/model';
import { goTimeString } from './go-text.ts';
import { toJaegerTags } from './tag.ts';
import type { JaegerLog, JaegerReference, JaegerSpan, JaegerTag } from './types.ts';

const KIND_TAG: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const ZERO_SPAN_ID = '0000000000000000';
const INVALID_LINK = 'Invalid span link removed';

const str = (key: string, value: string): JaegerTag => ({ key, type: 'string', value });

/** Order as the translator appends them: scope, attributes, kind, status code, error, description, tracestate. */
function spanTags(span: Span): JaegerTag[] {
  const tags: JaegerTag[] = [];
  if (span.scope.name !== '') tags.push(str('otel.scope.name', span.scope.name));
  if (span.scope.version !== '') tags.push(str('otel.scope.version', span.scope.version));
  for (const t of toJaegerTags(span.attributes)) tags.push(t);
  const kind = KIND_TAG[span.kind];
  if (kind !== undefined) tags.push(str('span.kind', kind));
  if (span.status.code === StatusCode.OK) tags.push(str('otel.status_code', 'OK'));
  if (span.status.code === StatusCode.ERROR) {
    tags.push(str('otel.status_code', 'ERROR'));
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  // The translator writes a non-empty description whatever the code (SDKs only keep it for ERROR).
  if (span.status.message !== '') tags.push(str('otel.status_description', span.status.message));
  if (span.traceState !== '') tags.push(str('w3c.tracestate', span.traceState));
  return tags;
}

function isEmptyTraceId(id: string): boolean {
  return /^0*$/.test(id);
}

function linkRefType(link: SpanLink): JaegerReference['refType'] {
  return link.attributes['opentracing.ref_type'] === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM';
}

/** Parent first as CHILD_OF, then links; a link to the parent only retypes the parent reference. */
function references(span: Span, traceID: string, warnings: string[]): JaegerReference[] {
  const refs: JaegerReference[] = [];
  const hasParent = span.parentSpanId !== '' && span.parentSpanId !== ZERO_SPAN_ID;
  if (hasParent) refs.push({ refType: 'CHILD_OF', traceID, spanID: span.parentSpanId });
  for (const link of span.links) {
    // Jaeger's RemoveEmptySpanLinks adjuster drops these and says so.
    if (isEmptyTraceId(link.traceId)) {
      warnings.push(INVALID_LINK);
      continue;
    }
    const linkTraceID = jaegerTraceId(link.traceId);
    if (hasParent && linkTraceID === traceID && link.spanId === span.parentSpanId) {
      refs[0].refType = linkRefType(link);
      continue;
    }
    refs.push({ refType: linkRefType(link), traceID: linkTraceID, spanID: link.spanId });
  }
  return refs;
}

/** `event` carries the name unless an attribute already has that key; attributes follow, sorted. */
function toLog(event: SpanEvent): JaegerLog {
  const fields: JaegerTag[] = [];
  if (event.name !== '' && !Object.hasOwn(event.attributes, 'event')) fields.push(str('event', event.name));
  for (const t of toJaegerTags(event.attributes)) fields.push(t);
  return { timestamp: nanosToMicros(event.timeUnixNano), fields };
}

export function toJaegerSpan(span: Span, processID: string): JaegerSpan {
  const traceID = jaegerTraceId(span.traceId);
  const warnings: string[] = [];
  let end = span.endTimeUnixNano;
  // Jaeger's ingest sanitizer moves an end that is not after the start to start + 1 ns.
  if (end <= span.startTimeUnixNano) {
    const fixed = span.startTimeUnixNano + 1n;
    warnings.push(
      'Negative duration detected, sanitizing end timestamp. Original end timestamp: ' +
        `${goTimeString(end)}, adjusted to: ${goTimeString(fixed)}`,
    );
    end = fixed;
  }
  const refs = references(span, traceID, warnings);
  return {
    traceID,
    spanID: span.spanId,
    operationName: span.name === '' ? 'empty-span-name' : span.name,
    references: refs,
    startTime: nanosToMicros(span.startTimeUnixNano),
    duration: nanosToMicros(end - span.startTimeUnixNano),
    tags: spanTags(span),
    // Recorded (time) order, as raw Jaeger returns it; its SortCollections adjuster would sort
    // events by name, which scrambles the timeline a reader expects.
    logs: span.events.map(toLog),
    processID,
    warnings: warnings.length > 0 ? warnings : null,
  };
}
