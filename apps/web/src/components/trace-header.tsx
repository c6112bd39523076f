import { formatDuration } from '../format/duration.ts';
import { formatRelative, formatTimestamp } from '../format/time.ts';
import { serviceColor } from '../trace/colors.ts';
import type { TraceSummary } from '../trace/summary.ts';
import { ServiceTags } from './service-tags.tsx';

export function TraceHeader({ summary: s, depth }: { summary: TraceSummary; depth: number }) {
  return (
    <header className="trace-header" data-testid="trace-header">
      <div className="trace-title-row">
        <span className="swatch big" style={{ background: serviceColor(s.rootService) }} />
        <h1 className="trace-title" data-testid="trace-title">
          <span className="result-service">{s.rootService}</span>
          <span className="result-sep">: </span>
          <span>{s.rootName}</span>
        </h1>
        {!s.hasRoot && <span className="badge warn">missing root span</span>}
        <code className="trace-id" data-testid="trace-id">
          {s.traceID}
        </code>
        <a
          className="raw-link"
          href={`/api/traces/${encodeURIComponent(s.traceID)}`}
          target="_blank"
          rel="noreferrer"
        >
          JSON
        </a>
      </div>
      <dl className="trace-stats">
        <div>
          <dt>Started</dt>
          <dd title={formatRelative(s.startTime)}>{formatTimestamp(s.startTime)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd data-testid="trace-duration">{formatDuration(s.duration)}</dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd data-testid="trace-service-count">{s.services.length}</dd>
        </div>
        <div>
          <dt>Depth</dt>
          <dd data-testid="trace-depth">{depth}</dd>
        </div>
        <div>
          <dt>Total spans</dt>
          <dd data-testid="trace-span-count">{s.spanCount}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="trace-error-count" className={s.errorCount > 0 ? 'error-text' : ''}>
            {s.errorCount}
          </dd>
        </div>
      </dl>
      <ServiceTags services={s.services} max={30} />
    </header>
  );
}
