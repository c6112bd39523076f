/**
 * Service-to-service edges, found at ingest: a span whose parent belongs to another service is one
 * call from the parent's service to the span's. Parents are looked up in the batch and in a bounded
 * memory of recent spans; a child that arrives before its parent waits (bounded too) for it.
 * A batch delivered twice counts its edges twice: the counts are at least once, like the spans.
 */
import type { Span } from '@genba/model';
import { StatusCode, serviceName } from '@genba/model';
import { bucketOf } from './latency-histogram.ts';
import { RowBinaryWriter } from './row-binary-writer.ts';
import type { RowLayout } from './transport.ts';

/** Rows of `dependencies`; the child durations travel as a latency histogram (latency-histogram.ts). */
export const DEPENDENCY_LAYOUT: RowLayout = {
  structure:
    'minute DateTime, parent String, child String, calls UInt64, errors UInt64, duration_sum_ns Int64, ' +
    'latency_buckets Array(UInt16), latency_calls Array(UInt64)',
  select: 'minute, parent, child, calls, errors, duration_sum_ns, latency_buckets, latency_calls',
  columns: 'minute, parent, child, calls, errors, duration_sum_ns, latencyMap.bucket, latencyMap.calls',
};

interface Child {
  service: string;
  minute: number;
  error: boolean;
  durationNs: bigint;
  bucket: number;
}

export interface Edge {
  minute: number;
  parent: string;
  child: string;
  calls: number;
  errors: number;
  durationSumNs: bigint;
  /** Calls per latency-histogram bucket. */
  latency: Map<number, number>;
}

function childOf(s: Span, service: string): Child {
  const end = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano : s.startTimeUnixNano;
  const durationNs = end - s.startTimeUnixNano;
  return {
    service,
    minute: Number(s.startTimeUnixNano / 60_000_000_000n) * 60,
    error: s.status.code === StatusCode.ERROR,
    durationNs,
    bucket: bucketOf(Number(durationNs)),
  };
}

/**
 * A bounded memory in two generations: new keys go to `young`; when it is full, it becomes `old`
 * and the previous `old` is dropped whole. Eviction by deleting a Map's first key is O(deleted
 * entries) in V8, which at 200k entries cost 86 µs a span; swapping costs nothing per span.
 */
class Generations<V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  #size = 0;
  #half: number;
  constructor(
    max: number,
    readonly weight: (v: V) => number = () => 1,
  ) {
    this.#half = Math.max(1, Math.floor(max / 2));
  }
  get(key: string): V | undefined {
    return this.#young.get(key) ?? this.#old.get(key);
  }
  /** Removes and returns the value. */
  take(key: string): V | undefined {
    const v = this.#young.get(key);
    if (v !== undefined) {
      this.#young.delete(key);
      this.#size -= this.weight(v);
      return v;
    }
    const o = this.#old.get(key);
    if (o !== undefined) this.#old.delete(key);
    return o;
  }
  set(key: string, v: V, added = 1): void {
    this.#young.set(key, v);
    this.#size += added;
    if (this.#size > this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#size = 0;
    }
  }
}

export class DependencyEdges {
  #services: Generations<string>;
  #waiting: Generations<Child[]>;

  /** `maxSpans` bounds both memories: remembered spans, and children waiting for a parent. */
  constructor(maxSpans = 200_000) {
    this.#services = new Generations(maxSpans);
    this.#waiting = new Generations(maxSpans, (list) => list.length);
  }

  /** The edges this batch completes, summed per minute and pair of services. */
  edges(spans: readonly Span[]): Edge[] {
    const out = new Map<string, Edge>();
    const add = (parent: string, c: Child) => {
      if (parent === c.service) return;
      const key = `${c.minute}\u0000${parent}\u0000${c.service}`;
      let e = out.get(key);
      if (!e) {
        e = {
          minute: c.minute,
          parent,
          child: c.service,
          calls: 0,
          errors: 0,
          durationSumNs: 0n,
          latency: new Map(),
        };
        out.set(key, e);
      }
      e.calls++;
      if (c.error) e.errors++;
      e.durationSumNs += c.durationNs;
      e.latency.set(c.bucket, (e.latency.get(c.bucket) ?? 0) + 1);
    };
    const services = spans.map(serviceName);
    for (let i = 0; i < spans.length; i++) this.#services.set(spans[i].spanId, services[i]);
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      const waiting = this.#waiting.take(s.spanId);
      if (waiting) for (const c of waiting) add(services[i], c);
      if (!s.parentSpanId) continue;
      const child = childOf(s, services[i]);
      const parent = this.#services.get(s.parentSpanId);
      if (parent !== undefined) add(parent, child);
      else {
        const list = this.#waiting.get(s.parentSpanId);
        if (list) {
          list.push(child);
          this.#waiting.set(s.parentSpanId, list);
        } else this.#waiting.set(s.parentSpanId, [child]);
      }
    }
    return [...out.values()];
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
    const buckets = [...e.latency.keys()].sort((a, b) => a - b);
    w.varint(buckets.length);
    for (const b of buckets) w.uint16(b);
    w.varint(buckets.length);
    for (const b of buckets) w.uint64(e.latency.get(b)!);
  }
  return Buffer.from(w.bytes());
}
