/**
 * What the query phase of storage.bench.ts asks for, sampled from the generated spans as they go
 * by, so the 10M spans never have to be held as objects: trace ids, the busiest operations with a
 * duration that a tenth of their spans exceed, and values of an attribute the tracegen model emits.
 * Reservoir sampling with its own seeded RNG, so the traces themselves stay those of the seed.
 */
import type { Span } from '@genba/model';
import { mulberry32 } from '@genba/server';

/** Set by the shop's api-gateway on every `authenticate` span; one of 50,000 users, so selective. */
export const ATTRIBUTE_KEY = 'enduser.id';

const DURATIONS_PER_OPERATION = 256;

interface OperationStats {
  service: string;
  name: string;
  count: number;
  durations: bigint[];
}

export interface SampledOperation {
  service: string;
  name: string;
  /** The 90th percentile of the sampled durations: about one span in ten of the operation is longer. */
  durationMin: bigint;
}

export interface SampledAttribute {
  service: string;
  value: string;
}

class Reservoir<T> {
  readonly items: T[] = [];
  #seen = 0;
  constructor(
    readonly size: number,
    readonly rng: () => number,
  ) {}

  offer(item: T): void {
    const k = this.#seen++;
    if (k < this.size) this.items.push(item);
    else {
      const j = Math.floor(this.rng() * (k + 1));
      if (j < this.size) this.items[j] = item;
    }
  }
}

export class QuerySample {
  readonly #rng = mulberry32(7);
  readonly #traceIds: Reservoir<string>;
  readonly #attributes: Reservoir<SampledAttribute>;
  readonly #operations = new Map<string, OperationStats>();
  readonly #durationRng = mulberry32(11);

  constructor(size = 1000) {
    this.#traceIds = new Reservoir(size, this.#rng);
    this.#attributes = new Reservoir(size, this.#rng);
  }

  addTrace(spans: readonly Span[]): void {
    if (spans.length === 0) return;
    this.#traceIds.offer(spans[0].traceId);
    for (const s of spans) {
      const service = String(s.resource.attributes['service.name'] ?? '');
      const key = `${service}\u0000${s.name}`;
      let op = this.#operations.get(key);
      if (!op) {
        op = { service, name: s.name, count: 0, durations: [] };
        this.#operations.set(key, op);
      }
      const k = op.count++;
      const d = s.endTimeUnixNano - s.startTimeUnixNano;
      if (k < DURATIONS_PER_OPERATION) op.durations.push(d);
      else {
        const j = Math.floor(this.#durationRng() * (k + 1));
        if (j < DURATIONS_PER_OPERATION) op.durations[j] = d;
      }
      const value = s.attributes[ATTRIBUTE_KEY];
      if (value !== undefined) this.#attributes.offer({ service, value: String(value) });
    }
  }

  get traceIds(): readonly string[] {
    return this.#traceIds.items;
  }

  get attributes(): readonly SampledAttribute[] {
    return this.#attributes.items;
  }

  get services(): string[] {
    return [...new Set([...this.#operations.values()].map((o) => o.service))].sort();
  }

  /** The `top` operations with the most spans. */
  busiestOperations(top: number): SampledOperation[] {
    return [...this.#operations.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, top)
      .map((o) => {
        const sorted = [...o.durations].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        return {
          service: o.service,
          name: o.name,
          durationMin: sorted[Math.floor(sorted.length * 0.9)] ?? 0n,
        };
      });
  }
}
