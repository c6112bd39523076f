/** The text report of `genba analyze <file>`: one section per trace, then the file's aggregate. */
import { serviceName } from '@genba/model';
import type { FileAnalysis, TraceResult } from './analyze-file.ts';
import {
  categoryLines,
  componentLines,
  dur,
  heading,
  latencyLine,
  percent,
  rankingLines,
} from './report-parts.ts';
import { table } from './table.ts';

function iso(epochNs: bigint): string {
  return new Date(Number(epochNs / 1_000_000n)).toISOString();
}

/** One trace: root, latency, categories, components, bottleneck and the critical path in order. */
export function traceReport(r: TraceResult): string[] {
  const a = r.analysis;
  const services = new Set(r.spans.map(serviceName));
  const lines = [
    `Trace ${a.traceId}`,
    `  root      ${a.rootService}: ${a.rootName}  (${r.spans.length} spans, ${services.size} services)`,
    `  started   ${iso(a.start)}`,
    `  latency   ${dur(a.total)}`,
  ];
  if (r.skew.length > 0)
    lines.push(`  clock skew: ${r.skew.length} span(s) shifted to fit inside their parents`);
  lines.push(heading('time by category (critical path)'));
  lines.push(...categoryLines(a.categories, a.total, a.valueAddedRatio));
  lines.push(heading('time by component (critical path)'));
  lines.push(...componentLines(a.components, a.total));
  const most = a.components[a.bottleneck] ?? 0;
  lines.push(
    `    bottleneck  ${a.bottleneck || '(none)'}: ${dur(most)}, ${percent(a.total > 0 ? most / a.total : 0)} of the latency`,
  );
  lines.push(heading('critical path'));
  const rootStart = Number(a.start - a.tree.base);
  const rows = [
    ['at', 'time', 'category', 'service', 'span', 'rule'],
    ...a.segments.map((s) => [
      `+${dur(s.start - rootStart)}`,
      dur(s.end - s.start),
      s.category,
      serviceName(s.node.span),
      s.node.span.name,
      s.reason,
    ]),
  ];
  lines.push(...table(rows, ['right', 'right', 'left', 'left', 'left', 'left'], '    '));
  return lines;
}

/** Over every trace of the file: summed categories, latency, bottleneck ranking, dependencies, errors. */
export function fileSummary(f: FileAnalysis, name: string): string[] {
  const g = f.aggregate;
  const lines = [
    `All ${g.traces} traces of ${name}`,
    `  from      ${iso(f.start)} to ${iso(f.end)}`,
    `  latency   ${latencyLine(g.latency)}`,
    heading('time by category (critical path, all traces)'),
    ...categoryLines(g.categories, g.total, g.valueAddedRatio),
    heading('bottleneck ranking (critical-path time per trace)'),
    ...rankingLines(
      g.components.map((c) => ({
        component: c.component,
        total: c.total,
        share: c.share,
        bottleneckOf: c.bottleneckOf,
        ...c.latency,
      })),
    ),
    heading('service dependencies'),
  ];
  if (f.dependencies.length === 0) lines.push('    (none: every span is in one service)');
  else
    lines.push(
      ...table(
        [
          ['caller', '', 'callee', 'calls', 'errors', 'P50', 'P95'],
          ...f.dependencies.map((d) => [
            d.parent,
            '→',
            d.child,
            String(d.calls),
            String(d.errors),
            dur(d.p50),
            dur(d.p95),
          ]),
        ],
        ['left', 'left', 'left', 'right', 'right', 'right', 'right'],
        '    ',
      ),
    );
  return lines;
}

/** Error spans grouped by signature; empty when there are none. */
export function errorLines(f: FileAnalysis): string[] {
  if (f.errors.length === 0) return [];
  return [
    heading('errors'),
    ...table(
      [
        ['count', 'traces', 'service', 'span', 'message'],
        ...f.errors.map((e) => [
          String(e.count),
          String(e.traces),
          e.service,
          e.operation,
          [e.exceptionType, e.messagePattern].filter(Boolean).join(': '),
        ]),
      ],
      ['right', 'right', 'left', 'left', 'left'],
      '    ',
    ),
  ];
}

/** The whole report: each trace, then (for several) the summary, then the errors. */
export function fileReport(f: FileAnalysis, name: string): string {
  const parts: string[][] = f.traces.map(traceReport);
  if (f.traces.length > 1) parts.push(fileSummary(f, name));
  const out = parts.map((p) => p.join('\n')).join('\n\n');
  const errors = errorLines(f);
  return errors.length > 0 ? `${out}\n${errors.join('\n')}\n` : `${out}\n`;
}
