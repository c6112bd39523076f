import { formatDuration } from '../format/duration.ts';
import { formatRelative, formatTimestamp } from '../format/time.ts';
import { Link } from '../router/link.tsx';
import { traceUrl } from '../router/routes.ts';
import { serviceColor } from '../trace/colors.ts';
import type { TraceSummary } from '../trace/summary.ts';
import { ServiceTags } from './service-tags.tsx';

type Props = { summary: TraceSummary; maxDuration: number; nowMs: number };

export function ResultItem({ summary: s, maxDuration, nowMs }: Props) {
  const width = maxDuration > 0 ? Math.max(0.5, (s.duration / maxDuration) * 100) : 0;
  return (
    <li className="result-item" data-testid="result-item" data-trace-id={s.traceID}>
      <Link to={traceUrl(s.traceID)} className="result-link">
        <div className="result-head">
          <span className="swatch" style={{ background: serviceColor(s.rootService) }} />
          <span className="result-title" data-testid="result-title">
            <span className="result-service">{s.rootService}</span>
            <span className="result-sep">: </span>
            <span className="result-name">{s.rootName}</span>
            {!s.hasRoot && <span className="badge warn">missing root span</span>}
          </span>
          <span className="result-trace-id">{s.traceID.slice(0, 7)}</span>
          <span className="result-duration" data-testid="result-duration">
            {formatDuration(s.duration)}
          </span>
        </div>
        <div className="result-bar">
          <div className="result-bar-fill" style={{ width: `${width}%` }} />
        </div>
        <div className="result-body">
          <div className="result-counts">
            <span className="badge" data-testid="result-span-count">
              {s.spanCount} {s.spanCount === 1 ? 'span' : 'spans'}
            </span>
            {s.errorCount > 0 && (
              <span className="badge error" data-testid="result-error-count">
                {s.errorCount} {s.errorCount === 1 ? 'error' : 'errors'}
              </span>
            )}
          </div>
          <ServiceTags services={s.services} />
          <div className="result-time" title={formatTimestamp(s.startTime)}>
            <span className="result-relative">{formatRelative(s.startTime, nowMs)}</span>
            <span className="result-absolute">{formatTimestamp(s.startTime)}</span>
          </div>
        </div>
      </Link>
    </li>
  );
}
