/**
 * Pieces shared by the trace and window reports. Every figure is in nanoseconds here, so the
 * file form (ns from @genba/analysis) and the server form (µs from the API, scaled) print alike.
 */
import type { Category } from '@genba/analysis';
import { CATEGORIES, formatDuration } from '@genba/analysis';
import { bar } from './bars.ts';
import { table } from './table.ts';

export const BAR_WIDTH = 30;

export function dur(ns: number): string {
  return ns === 0 ? '0' : formatDuration(ns);
}

/** Window lengths: minutes and hours read better than formatDuration's seconds. */
export function coarse(ns: number): string {
  const short = (v: number) => String(Number(v.toFixed(2)));
  if (ns >= 3_600e9) return `${short(ns / 3_600e9)}h`;
  if (ns >= 60e9) return `${short(ns / 60e9)}m`;
  return dur(ns);
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** An ISO instant without milliseconds, from epoch ms. */
export function instant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function heading(title: string): string {
  return `\n  ${title}`;
}

/** The four categories with their time, share of `total` and a bar; then the value-added ratio. */
export function categoryLines(categories: Record<Category, number>, total: number, ratio: number): string[] {
  const rows = CATEGORIES.map((c) => {
    const share = total > 0 ? categories[c] / total : 0;
    return [c, dur(categories[c]), percent(share), bar(share, BAR_WIDTH)];
  });
  return [
    ...table(rows, ['left', 'right', 'right', 'left'], '    '),
    `    value-added ratio  ${percent(ratio)}  (processing ÷ total)`,
  ];
}

/** Critical-path time per component, most first, with its share of `total` and a bar. */
export function componentLines(components: Record<string, number>, total: number): string[] {
  const rows = Object.entries(components)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name, ns]) => {
      const share = total > 0 ? ns / total : 0;
      return [name, dur(ns), percent(share), bar(share, BAR_WIDTH)];
    });
  return table(rows, ['left', 'right', 'right', 'left'], '    ');
}

export interface LatencyFigures {
  count: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
}

export function latencyLine(d: LatencyFigures): string {
  return `P50 ${dur(d.p50)}  P95 ${dur(d.p95)}  P99 ${dur(d.p99)}  avg ${dur(d.avg)}`;
}

export interface RankedComponent extends LatencyFigures {
  component: string;
  /** Summed critical-path ns. */
  total: number;
  share: number;
  /** Traces it was the bottleneck of. */
  bottleneckOf: number;
}

/** The bottleneck ranking: most critical-path time first, with each component's P50/P95/P99 per trace. */
export function rankingLines(ranked: readonly RankedComponent[]): string[] {
  const rows = [
    ['#', 'component', 'total', 'share', 'traces', 'bottleneck', 'P50', 'P95', 'P99', ''],
    ...ranked.map((c, i) => [
      String(i + 1),
      c.component,
      dur(c.total),
      percent(c.share),
      String(c.count),
      String(c.bottleneckOf),
      dur(c.p50),
      dur(c.p95),
      dur(c.p99),
      bar(c.share, 20),
    ]),
  ];
  return table(
    rows,
    ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    '    ',
  );
}
