/** Self-metrics for /metrics, in Prometheus text format. Labels are fixed by code, never by input. */

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',');
}

interface Histogram {
  help: string;
  bounds: number[];
  series: Map<string, { counts: number[]; sum: number; count: number }>;
}

export class Metrics {
  #counters = new Map<string, { help: string; values: Map<string, number> }>();
  #observed = new Map<string, { help: string; type: 'counter' | 'gauge'; read: () => number }>();
  #histograms = new Map<string, Histogram>();

  /** A counter kept elsewhere (a store's own count), read at every render. */
  observe(name: string, help: string, read: () => number): void {
    this.#observed.set(name, { help, type: 'counter', read });
  }

  /** A value that goes up and down (a queue's size, a limiter's state), read at every render. */
  gauge(name: string, help: string, read: () => number): void {
    this.#observed.set(name, { help, type: 'gauge', read });
  }

  counter(name: string, help: string): (labels: Labels, by?: number) => void {
    let c = this.#counters.get(name);
    if (!c) {
      c = { help, values: new Map() };
      this.#counters.set(name, c);
    }
    const values = c.values;
    return (labels, by = 1) => {
      const key = labelKey(labels);
      values.set(key, (values.get(key) ?? 0) + by);
    };
  }

  /** A histogram with fixed upper bounds (seconds, for latencies), as Prometheus expects. */
  histogram(name: string, help: string, bounds: number[]): (labels: Labels, value: number) => void {
    let h = this.#histograms.get(name);
    if (!h) {
      h = { help, bounds: [...bounds].sort((a, b) => a - b), series: new Map() };
      this.#histograms.set(name, h);
    }
    const hist = h;
    return (labels, value) => {
      const key = labelKey(labels);
      let s = hist.series.get(key);
      if (!s) {
        s = { counts: hist.bounds.map(() => 0), sum: 0, count: 0 };
        hist.series.set(key, s);
      }
      for (let i = 0; i < hist.bounds.length; i++) if (value <= hist.bounds[i]) s.counts[i]++;
      s.sum += value;
      s.count++;
    };
  }

  render(): string {
    const out: string[] = [];
    for (const [name, c] of this.#counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [labels, v] of c.values) out.push(`${name}${labels ? `{${labels}}` : ''} ${v}`);
    }
    for (const [name, o] of this.#observed)
      out.push(`# HELP ${name} ${o.help}`, `# TYPE ${name} ${o.type}`, `${name} ${o.read()}`);
    for (const [name, h] of this.#histograms) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [labels, s] of h.series) {
        const sep = labels ? `${labels},` : '';
        h.bounds.forEach((b, i) => {
          out.push(`${name}_bucket{${sep}le="${b}"} ${s.counts[i]}`);
        });
        out.push(`${name}_bucket{${sep}le="+Inf"} ${s.count}`);
        out.push(`${name}_sum${labels ? `{${labels}}` : ''} ${s.sum}`);
        out.push(`${name}_count${labels ? `{${labels}}` : ''} ${s.count}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
