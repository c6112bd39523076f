/** Builds model spans from a compact description: times in ms after a fixed epoch, short ids. */
import type { Attributes, Span } from '@genba/model';
import { emptyScope, emptySpan, SpanKind, StatusCode } from '@genba/model';

export const EPOCH_NS = 1_700_000_000_000_000_000n;
export const MS = 1_000_000;

export interface SpanSpec {
  id: string;
  parent?: string;
  service?: string;
  name?: string;
  kind?: keyof typeof SpanKind;
  start: number;
  end: number;
  error?: boolean;
  attributes?: Attributes;
  resource?: Attributes;
  links?: string[];
  trace?: string;
}

export function hexId(short: string, length = 16): string {
  let h = '';
  for (const ch of short) h += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return h.slice(-length).padStart(length, '0');
}

export function spans(specs: readonly SpanSpec[]): Span[] {
  const resources = new Map<string, Span['resource']>();
  return specs.map((s) => {
    const service = s.service ?? 'svc';
    const key = JSON.stringify([service, s.resource ?? {}]);
    let resource = resources.get(key);
    if (resource === undefined) {
      resource = {
        attributes: { 'service.name': service, ...s.resource },
        droppedAttributesCount: 0,
        schemaUrl: '',
      };
      resources.set(key, resource);
    }
    const span = emptySpan(resource, emptyScope());
    span.traceId = hexId(s.trace ?? 't', 32);
    span.spanId = hexId(s.id);
    span.parentSpanId = s.parent ? hexId(s.parent) : '';
    span.name = s.name ?? s.id;
    span.kind = SpanKind[s.kind ?? 'INTERNAL'];
    span.startTimeUnixNano = EPOCH_NS + BigInt(Math.round(s.start * MS));
    span.endTimeUnixNano = EPOCH_NS + BigInt(Math.round(s.end * MS));
    span.attributes = { ...s.attributes };
    if (s.error) span.status = { code: StatusCode.ERROR, message: 'failed' };
    span.links = (s.links ?? []).map((l) => ({
      traceId: span.traceId,
      spanId: hexId(l),
      traceState: '',
      attributes: {},
      droppedAttributesCount: 0,
      flags: 0,
    }));
    return span;
  });
}
