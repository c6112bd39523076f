import type { AnomalyItem } from '../api/genba-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatRelative, formatTimestamp } from '../format/time.ts';
import { Link } from '../router/link.tsx';
import { traceUrl } from '../router/routes.ts';

/** Traces slower than their baseline, worst first, each a link to the trace. */
export function AnomalyList({ items }: { items: AnomalyItem[] }) {
  if (items.length === 0) {
    return (
      <p className="muted" data-testid="anomalies-none">
        No anomalies: every trace is within 1.5 × the P95 of its operation.
      </p>
    );
  }
  return (
    <ul className="vs-list" data-testid="anomaly-list">
      {items.map((a) => (
        <li key={a.traceID} className="vs-list-item" data-testid="anomaly-item" data-trace-id={a.traceID}>
          <div className="vs-list-head">
            <Link to={traceUrl(a.traceID)} className="vs-list-title">
              <span className="result-service">{a.rootService}</span>
              <span className="result-sep">: </span>
              <span>{a.rootOperation}</span>
            </Link>
            <strong className="error-text">{formatDuration(a.totalLatency)}</strong>
          </div>
          <p className="vs-list-text">{a.reason}</p>
          <p className="vs-list-meta muted">
            <span title={formatTimestamp(a.startTime)}>{formatRelative(a.startTime)}</span>
            {a.threshold > 0 && <span> · threshold {formatDuration(a.threshold)}</span>}
            {a.bottleneck && <span> · bottleneck {a.bottleneck}</span>}
            <span> · </span>
            <code>{a.traceID.slice(0, 16)}</code>
          </p>
        </li>
      ))}
    </ul>
  );
}
