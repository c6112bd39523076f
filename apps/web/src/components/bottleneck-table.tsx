import type { ComponentStats } from '../api/genba-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatPercent } from '../format/percent.ts';
import { serviceColor } from '../trace/colors.ts';

/** The bottleneck ranking: components by their share of critical-path time, as the API orders them. */
export function BottleneckTable({ components }: { components: ComponentStats[] }) {
  if (components.length === 0) return <p className="muted">No components in the window.</p>;
  return (
    <table className="vs-table" data-testid="ranking-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Component</th>
          <th className="share-col">Share</th>
          <th className="num">Traces</th>
          <th className="num" title="traces in which it held the most critical-path time">
            Bottleneck in
          </th>
          <th className="num">Avg</th>
          <th className="num">P50</th>
          <th className="num">P95</th>
          <th className="num">P99</th>
        </tr>
      </thead>
      <tbody>
        {components.map((c, i) => (
          <tr key={c.component} data-testid="ranking-row" data-component={c.component}>
            <td className="muted">{i + 1}</td>
            <td className="vs-name" data-testid="ranking-component">
              <span className="swatch" style={{ background: serviceColor(c.component) }} />
              {c.component}
            </td>
            <td className="share-col">
              <span className="share-bar">
                <span style={{ width: `${Math.min(100, c.share * 100)}%` }} />
              </span>
              <span data-testid="ranking-share">{formatPercent(c.share)}</span>
            </td>
            <td className="num" data-testid="ranking-traces">
              {c.traceCount}
            </td>
            <td className="num" data-testid="ranking-bottleneck-count">
              {c.bottleneckCount}
            </td>
            <td className="num" data-testid="ranking-avg">
              {formatDuration(c.avg)}
            </td>
            <td className="num" data-testid="ranking-p50">
              {formatDuration(c.p50)}
            </td>
            <td className="num" data-testid="ranking-p95">
              {formatDuration(c.p95)}
            </td>
            <td className="num" data-testid="ranking-p99">
              {formatDuration(c.p99)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
