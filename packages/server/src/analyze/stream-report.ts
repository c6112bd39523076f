/**
 * The text report of `genba analyze --service`: the server's value-stream answer (and, with
 * `--compare-before`, its before/after answer). The API's µs are scaled to ns for the shared parts.
 */
import type { Category } from '@genba/analysis';
import { CATEGORIES } from '@genba/analysis';
import type { comparisonJson, valueStreamJson } from '@genba/query';
import { sparkline } from './bars.ts';
import {
  categoryLines,
  coarse,
  dur,
  heading,
  instant,
  latencyLine,
  percent,
  rankingLines,
} from './report-parts.ts';
import { table } from './table.ts';

export type ValueStreamAnswer = ReturnType<typeof valueStreamJson>;
export type ComparisonAnswer = ReturnType<typeof comparisonJson>;

const NS_PER_US = 1000;

function ns(us: number): number {
  return us * NS_PER_US;
}

function nsCategories(c: Record<Category, number>): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((k) => [k, ns(c[k])])) as Record<Category, number>;
}

function windowText(start: number, end: number): string {
  return `${instant(start / 1000)} to ${instant(end / 1000)}`;
}

function subject(service: string, operation: string | null): string {
  return operation === null ? `${service} (all operations)` : `${service}: ${operation}`;
}

function traces(n: number): string {
  return `${n} trace${n === 1 ? '' : 's'}`;
}

/** The ratio per bucket on a fixed 0–100 % scale; a bucket without traces is a gap. */
export function ratioOverTime(v: ValueStreamAnswer): string[] {
  if (v.buckets.length === 0) return [];
  const ratios = v.buckets.map((b) => (b.traceCount > 0 ? b.valueAddedRatio : null));
  const seen = ratios.filter((r): r is number => r !== null);
  const width = ns(v.buckets[0].end - v.buckets[0].start);
  const range =
    seen.length === 0 ? 'no traces' : `min ${percent(Math.min(...seen))}, max ${percent(Math.max(...seen))}`;
  return [
    heading(`value-added ratio over time (${v.buckets.length} buckets of ${coarse(width)}, scale 0–100%)`),
    `    │${sparkline(ratios, 0, 1)}│  ${range}`,
  ];
}

export function valueStreamReport(v: ValueStreamAnswer, since?: string): string[] {
  const lines = [
    `Value stream of ${subject(v.service, v.operation)}`,
    `  window    ${windowText(v.start, v.end)}${since ? ` (last ${since})` : ''}`,
    `  traces    ${v.traceCount}`,
  ];
  if (v.traceCount === 0) {
    lines.push('  no traces of this service in the window: check --service, --operation and --since');
    return lines;
  }
  const lat = v.latency;
  lines.push(
    `  latency   ${latencyLine({ count: lat.count, avg: ns(lat.avg), p50: ns(lat.p50), p95: ns(lat.p95), p99: ns(lat.p99) })}`,
    heading('time by category (critical path, all traces)'),
    ...categoryLines(nsCategories(v.categories), ns(v.totalLatency), v.valueAddedRatio),
    heading('bottleneck ranking (critical-path time per trace)'),
    ...rankingLines(
      v.components.map((c) => ({
        component: c.component,
        total: ns(c.total),
        share: c.share,
        bottleneckOf: c.bottleneckCount,
        count: c.traceCount,
        avg: ns(c.avg),
        p50: ns(c.p50),
        p95: ns(c.p95),
        p99: ns(c.p99),
      })),
    ),
    `    bottleneck  ${v.bottleneck || '(none)'}`,
    ...ratioOverTime(v),
  );
  return lines;
}

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : value === 0 ? '±0' : text;
}

/** A relative change as a signed percentage; "new" when it rose from nothing. */
function change(c: number | null, after: number): string {
  if (c === null) return after === 0 ? '' : 'new';
  return signed(percent(c), c);
}

interface UsDelta {
  before: number;
  after: number;
  delta: number;
  change: number | null;
}

function durationRow(label: string, d: UsDelta): string[] {
  return [
    label,
    dur(ns(d.before)),
    dur(ns(d.after)),
    signed(dur(ns(d.delta)), d.delta),
    change(d.change, d.after),
  ];
}

export function comparisonReport(c: ComparisonAnswer, before: string, after: string): string[] {
  const r = c.valueAddedRatio;
  const rows = [
    ['per trace (mean)', 'before', 'after', 'Δ', 'change'],
    ...CATEGORIES.map((k) => durationRow(k, c.categories[k] as UsDelta)),
    durationRow('latency P95', c.latencyP95),
    durationRow('latency avg', c.latencyAvg),
    [
      'value-added ratio',
      percent(r.before),
      percent(r.after),
      `${signed((r.delta * 100).toFixed(1), r.delta)} pt`,
      change(r.change, r.after),
    ],
  ];
  const components = [
    ['component', 'before', 'after', 'Δ', 'change', 'P95 before', 'P95 after'],
    ...c.components.map((x) => [
      ...durationRow(x.component, x.perTrace),
      dur(ns(x.p95.before)),
      dur(ns(x.p95.after)),
    ]),
  ];
  const b = c.bottleneck;
  return [
    `Before and after: ${subject(c.after.service, c.after.operation)}`,
    `  before    ${windowText(c.before.start, c.before.end)} (${before}): ${traces(c.before.traceCount)}`,
    `  after     ${windowText(c.after.start, c.after.end)} (${after}): ${traces(c.after.traceCount)}`,
    '',
    ...table(rows, ['left', 'right', 'right', 'right', 'right'], '    '),
    heading('by component (mean critical-path time per trace; biggest gain first)'),
    ...table(components, ['left', 'right', 'right', 'right', 'right', 'right', 'right'], '    '),
    `    bottleneck  ${b.before || '(none)'} → ${b.after || '(none)'}${b.before === b.after ? ' (unchanged)' : ''}`,
  ];
}
