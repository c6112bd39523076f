/**
 * `Metrics.gauge` holds one reader per name, so two processors of the same type would overwrite
 * each other's. This keeps every live instance's reader per Metrics and name, and reports them
 * combined (a sum of held traces, the lowest probability).
 */
import type { Metrics } from '../../metrics.ts';

type Read = () => number;

const registries = new WeakMap<Metrics, Map<string, Set<Read>>>();

/** Adds a reader to the gauge `name`; returns the function that removes it (on shutdown). */
export function addGaugeReader(
  metrics: Metrics,
  name: string,
  help: string,
  combine: (values: number[]) => number,
  read: Read,
): () => void {
  let byName = registries.get(metrics);
  if (!byName) {
    byName = new Map();
    registries.set(metrics, byName);
  }
  let readers = byName.get(name);
  if (!readers) {
    const live = new Set<Read>();
    readers = live;
    byName.set(name, live);
    metrics.gauge(name, help, () => combine([...live].map((r) => r())));
  }
  readers.add(read);
  const set = readers;
  return () => {
    set.delete(read);
  };
}
