import type { ValueStream } from '../api/genba-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatPercent } from '../format/percent.ts';
import { formatTimestamp } from '../format/time.ts';
import { CategoryBar } from './category-bar.tsx';

/** The window's headline figures and its category split. */
export function VsAggregate({ vs }: { vs: ValueStream }) {
  const figures: [string, string, string][] = [
    ['Traces', String(vs.traceCount), 'vs-trace-count'],
    ['Value-added ratio', formatPercent(vs.valueAddedRatio), 'vs-ratio'],
    ['Latency P50', formatDuration(vs.latency.p50), 'vs-p50'],
    ['P95', formatDuration(vs.latency.p95), 'vs-p95'],
    ['P99', formatDuration(vs.latency.p99), 'vs-p99'],
    ['Average', formatDuration(vs.latency.avg), 'vs-avg'],
    ['Bottleneck', vs.bottleneck || '–', 'vs-bottleneck'],
  ];
  return (
    <div className="vs-aggregate">
      <dl className="vs-figures">
        {figures.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={id}>{value}</dd>
          </div>
        ))}
      </dl>
      {vs.traceCount === 0 ? (
        <p className="muted" data-testid="vs-no-traces">
          No traces of this service in the window.
        </p>
      ) : (
        <CategoryBar categories={vs.categories} />
      )}
      <p className="vs-window muted">
        {formatTimestamp(vs.start)} – {formatTimestamp(vs.end)} · {formatDuration(vs.totalLatency)} on the
        critical paths
      </p>
    </div>
  );
}
