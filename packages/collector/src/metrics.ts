/** Counters for /metrics, in Prometheus text format. Labels are fixed by code, never by input. */
export class Metrics {
  #counters = new Map<string, { help: string; values: Map<string, number> }>();
  #observed = new Map<string, { help: string; read: () => number }>();

  /** A counter kept elsewhere (a store's own count), read at every render. */
  observe(name: string, help: string, read: () => number): void {
    this.#observed.set(name, { help, read });
  }

  counter(name: string, help: string): (labels: Record<string, string>, by?: number) => void {
    let c = this.#counters.get(name);
    if (!c) {
      c = { help, values: new Map() };
      this.#counters.set(name, c);
    }
    const values = c.values;
    return (labels, by = 1) => {
      const key = Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
        .join(',');
      values.set(key, (values.get(key) ?? 0) + by);
    };
  }

  render(): string {
    const out: string[] = [];
    for (const [name, c] of this.#counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [labels, v] of c.values) out.push(`${name}${labels ? `{${labels}}` : ''} ${v}`);
    }
    for (const [name, o] of this.#observed)
      out.push(`# HELP ${name} ${o.help}`, `# TYPE ${name} counter`, `${name} ${o.read()}`);
    return `${out.join('\n')}\n`;
  }
}
