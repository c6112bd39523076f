/**
 * Test helpers: model spans from OTLP/JSON fixtures (the format collectors and Jaeger's own tests use),
 * and a span builder for rule-by-rule cases. Kept here so the tests need no OTLP codec.
 */
import { readFileSync } from 'node:fs';
import type { Attributes, AttributeValue, Resource, Scope, Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';

type AnyValueJson = Record<string, unknown>;
type KeyValueJson = { key: string; value?: AnyValueJson };

function value(v: AnyValueJson | undefined): AttributeValue {
  if (v === undefined || Object.keys(v).length === 0) return null;
  if ('stringValue' in v) return v.stringValue as string;
  if ('boolValue' in v) return v.boolValue as boolean;
  if ('intValue' in v) return BigInt(v.intValue as string);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('bytesValue' in v) return new Uint8Array(Buffer.from(v.bytesValue as string, 'base64'));
  if ('arrayValue' in v) return ((v.arrayValue as { values?: AnyValueJson[] }).values ?? []).map(value);
  if ('kvlistValue' in v)
    return { kvlist: attributes((v.kvlistValue as { values?: KeyValueJson[] }).values) };
  throw new Error(`unknown AnyValue ${JSON.stringify(v)}`);
}

function attributes(list: KeyValueJson[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = value(kv.value);
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is loosely typed
type Json = any;

export function spansFromOtlpJson(doc: Json): Span[] {
  const out: Span[] = [];
  for (const rs of doc.resourceSpans ?? []) {
    const resource: Resource = { ...emptyResource(), attributes: attributes(rs.resource?.attributes) };
    for (const ss of rs.scopeSpans ?? []) {
      const scope: Scope = { ...emptyScope(), name: ss.scope?.name ?? '', version: ss.scope?.version ?? '' };
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          traceState: s.traceState ?? '',
          flags: s.flags ?? 0,
          name: s.name ?? '',
          kind: s.kind ?? 0,
          startTimeUnixNano: BigInt(s.startTimeUnixNano),
          endTimeUnixNano: BigInt(s.endTimeUnixNano),
          attributes: attributes(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount ?? 0,
          events: (s.events ?? []).map((e: Json) => ({
            timeUnixNano: BigInt(e.timeUnixNano),
            name: e.name ?? '',
            attributes: attributes(e.attributes),
            droppedAttributesCount: e.droppedAttributesCount ?? 0,
          })),
          droppedEventsCount: s.droppedEventsCount ?? 0,
          links: (s.links ?? []).map((l: Json) => ({
            traceId: l.traceId ?? '',
            spanId: l.spanId ?? '',
            traceState: l.traceState ?? '',
            attributes: attributes(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount ?? 0,
            flags: l.flags ?? 0,
          })),
          droppedLinksCount: s.droppedLinksCount ?? 0,
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
          resource,
          scope,
        });
      }
    }
  }
  return out;
}

export function readFixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const RESOURCE: Resource = { ...emptyResource(), attributes: { 'service.name': 'svc' } };
const SCOPE: Scope = emptyScope();

/** A minimal valid span; override what a test is about. */
export function makeSpan(over: Partial<Span> = {}): Span {
  return {
    ...emptySpan(RESOURCE, SCOPE),
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    flags: 1,
    name: 'op',
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_001_000_000n,
    ...over,
  };
}
