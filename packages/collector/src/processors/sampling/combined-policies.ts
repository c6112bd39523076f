/** Policies made of sub-policies: `and`, `drop` and `composite`. */
import { type Evaluator, plain } from './policy.ts';
import type { CompositeBlock } from './tail-sampling-config.ts';

export function andPolicy(subs: readonly Evaluator[]): Evaluator {
  return {
    evaluate(trace, now) {
      for (const sub of subs) if (plain(sub.evaluate(trace, now)) !== 'sampled') return 'not_sampled';
      return 'sampled';
    },
  };
}

/** Votes `dropped` (a veto) when every sub-policy would sample the trace. */
export function dropPolicy(subs: readonly Evaluator[]): Evaluator {
  return {
    evaluate(trace, now) {
      for (const sub of subs) if (plain(sub.evaluate(trace, now)) !== 'sampled') return 'not_sampled';
      return 'dropped';
    },
  };
}

interface Slot {
  evaluator: Evaluator;
  /** Spans a second this sub-policy may sample. */
  allocated: number;
  used: number;
}

/**
 * Sub-policies in `policy_order` (any left unnamed follow in their listed order); the first one
 * that would sample the trace decides: sampled if its share of this second's spans, and the
 * total, still have room for the trace, else not sampled (a later, smaller trace may still fit).
 * A sub-policy's share is its `rate_allocation` percent of `max_total_spans_per_second`; those
 * without one split what the others leave equally (Genba's reading: the Collector gives them 0,
 * which makes its README's "use always_sample to fill the remaining capacity" advice fail).
 * Counters restart at each new second of the processor's clock.
 */
export function compositePolicy(
  c: CompositeBlock,
  build: (sub: CompositeBlock['composite_sub_policy'][number]) => Evaluator,
): Evaluator {
  const byName = new Map(c.composite_sub_policy.map((p) => [p.name, p]));
  const ordered = [
    ...c.policy_order,
    ...c.composite_sub_policy.map((p) => p.name).filter((n) => !c.policy_order.includes(n)),
  ];
  const percent = new Map(c.rate_allocation.map((r) => [r.policy, r.percent]));
  const given = [...percent.values()].reduce((s, p) => s + p, 0);
  const unallocated = ordered.filter((n) => !percent.has(n)).length;
  const share = (n: string) => {
    const p = percent.get(n);
    if (p !== undefined) return (p / 100) * c.max_total_spans_per_second;
    return (((100 - given) / 100) * c.max_total_spans_per_second) / Math.max(1, unallocated);
  };
  const slots: Slot[] = ordered.map((n) => ({
    evaluator: build(byName.get(n)!),
    allocated: share(n),
    used: 0,
  }));
  let second = Number.NaN;
  let total = 0;

  return {
    evaluate(trace, now) {
      const s = Math.floor(now / 1000);
      if (s !== second) {
        second = s;
        total = 0;
        for (const slot of slots) slot.used = 0;
      }
      const n = trace.spans.length;
      for (const slot of slots) {
        if (plain(slot.evaluator.evaluate(trace, now)) !== 'sampled') continue;
        if (slot.used + n <= slot.allocated && total + n <= c.max_total_spans_per_second) {
          slot.used += n;
          total += n;
          return 'sampled';
        }
        return 'not_sampled';
      }
      return 'not_sampled';
    },
  };
}
