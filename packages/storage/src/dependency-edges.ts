/**
 * Service-to-service edges, found at ingest: a span whose parent belongs to another service is one
 * call from the parent's service to the span's. Parents are looked up in the batch and in a bounded
 * memory of recent spans; a child that arrives before its parent waits (bounded too) for it.
 * A batch delivered twice counts its edges twice: the counts are at least once, like the spans.
 */
import type { Span } from '@genba/model';
import { StatusCode, serviceName } from '@genba/model';
import { RowBinaryWriter } from './row-binary-writer.ts';
import type { RowLayout } from './transport.ts';

export const DEPENDENCY_LAYOUT: RowLayout = {
  structure:
    'minute DateTime, parent String, child String, calls UInt64, errors UInt64, duration_sum_ns Int64',
  select: 'minute, parent, child, calls, errors, duration_sum_ns',
  columns: 'minute, parent, child, calls, errors, duration_sum_ns',
};

interface Child {
  service: string;
  minute: number;
  error: boolean;
  durationNs: bigint;
}

export interface Edge {
  minute: number;
  parent: string;
  child: string;
  calls: number;
  errors: number;
  durationSumNs: bigint;
}

function childOf(s: Span, service: string): Child {
  const end = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano : s.startTimeUnixNano;
  return {
    service,
    minute: Number(s.startTimeUnixNano / 60_000_000_000n) * 60,
    error: s.status.code === StatusCode.ERROR,
    durationNs: end - s.startTimeUnixNano,
  };
}

export class DependencyEdges {
  #services = new Map<string, string>();
  #waiting = new Map<string, Child[]>();
  #waitingCount = 0;
  #max: number;

  /** `maxSpans` bounds both memories: remembered spans, and children waiting for a parent. */
  constructor(maxSpans = 200_000) {
    this.#max = maxSpans;
  }

  /** The edges this batch completes, summed per minute and pair of services. */
  edges(spans: readonly Span[]): Edge[] {
    const out = new Map<string, Edge>();
    const add = (parent: string, c: Child) => {
      if (parent === c.service) return;
      const key = `${c.minute}\u0000${parent}\u0000${c.service}`;
      let e = out.get(key);
      if (!e) {
        e = { minute: c.minute, parent, child: c.service, calls: 0, errors: 0, durationSumNs: 0n };
        out.set(key, e);
      }
      e.calls++;
      if (c.error) e.errors++;
      e.durationSumNs += c.durationNs;
    };
    const services = spans.map(serviceName);
    for (let i = 0; i < spans.length; i++) this.#remember(spans[i].spanId, services[i]);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      const waiting = this.#waiting.get(s.spanId);
      if (waiting) {
        this.#waiting.delete(s.spanId);
        this.#waitingCount -= waiting.length;
        for (const c of waiting) add(services[i], c);
      }
      if (!s.parentSpanId) continue;
      const child = childOf(s, services[i]);
      const parent = this.#services.get(s.parentSpanId);
      if (parent !== undefined) add(parent, child);
      else this.#wait(s.parentSpanId, child);
    }
    return [...out.values()];
  }

  #remember(spanId: string, service: string): void {
    this.#services.set(spanId, service);
    // A Map iterates in insertion order, so the first key is the oldest.
    if (this.#services.size > this.#max) this.#services.delete(this.#services.keys().next().value!);
  }

  #wait(parentId: string, child: Child): void {
    const list = this.#waiting.get(parentId);
    if (list) list.push(child);
    else this.#waiting.set(parentId, [child]);
    this.#waitingCount++;
    while (this.#waitingCount > this.#max) {
      const [oldest, children] = this.#waiting.entries().next().value!;
      this.#waiting.delete(oldest);
      this.#waitingCount -= children.length;
    }
  }
}

export function edgesToRowBinary(edges: readonly Edge[]): Buffer {
  const w = new RowBinaryWriter(edges.length * 64 + 64);
  for (const e of edges) {
    w.uint32(e.minute);
    w.string(e.parent);
    w.string(e.child);
    w.int64(BigInt(e.calls));
    w.int64(BigInt(e.errors));
    w.int64(e.durationSumNs);
  }
  return Buffer.from(w.bytes());
}
