/**
 * One span per id. Exact repeats (an at-least-once redelivery) keep one copy. A Zipkin-style
 * shared span (a CLIENT and a SERVER reported under one id) becomes two: the SERVER half gets a
 * new id derived from the old one and the CLIENT half as its parent, as Jaeger's deduper does.
 */
import type { Span } from '@genba/model';
import { SpanKind } from '@genba/model';

export function dedupeSpans(spans: readonly Span[]): Span[] {
  const byId = new Map<string, Span>();
  const out: Span[] = [];
  const servers: Span[] = [];
  for (const s of spans) {
    const seen = byId.get(s.spanId);
    if (seen === undefined) {
      byId.set(s.spanId, s);
      out.push(s);
    } else if (isSharedPair(seen, s)) {
      // The CLIENT half keeps the id; the SERVER half is re-parented under it below.
      if (seen.kind === SpanKind.SERVER) {
        out[out.indexOf(seen)] = s;
        byId.set(s.spanId, s);
        servers.push(seen);
      } else servers.push(s);
    } else if (richness(s) > richness(seen)) {
      out[out.indexOf(seen)] = s;
      byId.set(s.spanId, s);
    }
  }
  for (const server of servers) {
    const id = freshId(server.spanId, byId);
    const moved: Span = { ...server, spanId: id, parentSpanId: server.spanId };
    byId.set(id, moved);
    out.push(moved);
  }
  return out;
}

function isSharedPair(a: Span, b: Span): boolean {
  return (
    (a.kind === SpanKind.CLIENT && b.kind === SpanKind.SERVER) ||
    (a.kind === SpanKind.SERVER && b.kind === SpanKind.CLIENT)
  );
}

/** The copy with more recorded detail wins; the first on a tie. */
function richness(s: Span): number {
  return Object.keys(s.attributes).length + s.events.length + s.links.length;
}

/** A deterministic new id: the old one with its bits rotated and counted up until unused. */
function freshId(old: string, taken: ReadonlyMap<string, Span>): string {
  let n = BigInt(`0x${old}`);
  for (;;) {
    n = ((n << 1n) | (n >> 63n)) & 0xffffffffffffffffn;
    n = (n + 1n) & 0xffffffffffffffffn;
    const id = n.toString(16).padStart(16, '0');
    if (id !== '0000000000000000' && !taken.has(id)) return id;
  }
}
