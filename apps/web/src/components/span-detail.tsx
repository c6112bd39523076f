import type { ReactNode } from 'react';
import type { JaegerTrace } from '../api/jaeger-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatTimestamp } from '../format/time.ts';
import { serviceColor } from '../trace/colors.ts';
import type { SpanRow } from '../trace/rows.ts';
import { findTag, isErrorSpan, parentSpanId, serviceOf, spanKind, tagText } from '../trace/span-info.ts';
import { TagTable } from './tag-table.tsx';

type Props = {
  trace: JaegerTrace;
  row: SpanRow;
  rows: SpanRow[];
  traceStart: number;
  onSelect: (spanId: string | null) => void;
  onClose: () => void;
};

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="detail-item">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

export function SpanDetail({ trace, row, rows, traceStart, onSelect, onClose }: Props) {
  const span = row.span;
  const service = serviceOf(trace, span);
  const process = trace.processes?.[span.processID];
  const parentId = parentSpanId(span);
  const parentRow = row.parentIndex >= 0 ? rows[row.parentIndex] : null;
  const statusMessage = findTag(span.tags, 'otel.status_description');
  const error = isErrorSpan(span);
  const logs = span.logs ?? [];
  const refs = span.references ?? [];

  return (
    <aside className="span-detail" data-testid="span-detail" aria-label="Span detail">
      <header className="detail-header">
        <span className="swatch big" style={{ background: serviceColor(service) }} />
        <div className="detail-title">
          <h2 data-testid="span-detail-operation">{span.operationName}</h2>
          <p className="detail-service" data-testid="span-detail-service">
            {service}
          </p>
        </div>
        <button
          type="button"
          className="close"
          onClick={onClose}
          aria-label="Close"
          data-testid="span-detail-close"
        >
          ×
        </button>
      </header>
      <dl className="detail-grid">
        <Item label="Duration" testId="span-detail-duration">
          {formatDuration(span.duration)}
        </Item>
        <Item label="Start">
          {`+${formatDuration(span.startTime - traceStart)}`}
          <span className="muted"> · {formatTimestamp(span.startTime)}</span>
        </Item>
        <Item label="Kind">{spanKind(span) || '–'}</Item>
        <Item label="Status">
          {error ? <span className="error-text">error</span> : 'ok'}
          {statusMessage && <span className="muted"> · {tagText(statusMessage.value)}</span>}
        </Item>
        <Item label="Span ID" testId="span-detail-span-id">
          <code>{span.spanID}</code>
        </Item>
        <Item label="Parent ID">
          {parentId === null ? (
            '–'
          ) : parentRow ? (
            <button type="button" className="link-button" onClick={() => onSelect(parentRow.span.spanID)}>
              <code>{parentId}</code>
            </button>
          ) : (
            <span>
              <code>{parentId}</code> <span className="badge warn">not in trace</span>
            </span>
          )}
        </Item>
      </dl>
      {refs.length > 1 || refs.some((r) => r.refType !== 'CHILD_OF') ? (
        <section className="detail-section">
          <h3>References</h3>
          <ul className="plain-list">
            {refs.map((r) => (
              <li key={`${r.refType}:${r.traceID}:${r.spanID}`}>
                {r.refType} <code>{r.spanID}</code>
                {r.traceID !== span.traceID && <span className="muted"> in trace {r.traceID}</span>}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {span.warnings && span.warnings.length > 0 && (
        <section className="detail-section">
          <h3>Warnings</h3>
          <ul className="plain-list warn-text">
            {span.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      <section className="detail-section">
        <h3>Tags ({span.tags?.length ?? 0})</h3>
        <TagTable tags={span.tags} testId="span-tags" />
      </section>
      <section className="detail-section">
        <h3>Process ({process?.tags?.length ?? 0})</h3>
        <TagTable tags={process?.tags} testId="process-tags" />
      </section>
      <section className="detail-section" data-testid="span-logs">
        <h3>Events / logs ({logs.length})</h3>
        {logs.length === 0 ? (
          <p className="muted">none</p>
        ) : (
          <ol className="log-list">
            {logs.map((log, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: logs have no id; the order is fixed
              <li key={i} className="log-item">
                <div className="log-time">
                  {`+${formatDuration(log.timestamp - traceStart)}`}
                  <span className="muted"> · {formatTimestamp(log.timestamp)}</span>
                </div>
                <TagTable tags={log.fields} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  );
}
