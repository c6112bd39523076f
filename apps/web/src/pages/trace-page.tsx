import { useCallback, useMemo } from 'react';
import { fetchCriticalPath } from '../api/genba-client.ts';
import { fetchTrace } from '../api/jaeger-client.ts';
import { SpanDetail } from '../components/span-detail.tsx';
import { TraceHeader } from '../components/trace-header.tsx';
import { ValueStreamPanel } from '../components/value-stream-panel.tsx';
import { Waterfall } from '../components/waterfall.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { navigate } from '../router/history.ts';
import { Link } from '../router/link.tsx';
import { traceUrl } from '../router/routes.ts';
import { criticalOverlay } from '../trace/critical-path.ts';
import { buildRows, treeDepth } from '../trace/rows.ts';
import { summarizeTrace } from '../trace/summary.ts';

export function TracePage({ traceId, search }: { traceId: string; search: string }) {
  const state = useAsync(`trace:${traceId}`, (signal) => fetchTrace(traceId, signal));
  const trace = state.status === 'done' ? state.data : null;
  const rows = useMemo(() => (trace ? buildRows(trace.spans) : []), [trace]);
  const summary = useMemo(() => (trace ? summarizeTrace(trace) : null), [trace]);
  const depth = useMemo(() => treeDepth(rows), [rows]);
  // Asked for once the trace is shown: run alongside, the server's analysis of a 100k-span trace
  // would delay the trace itself by seconds.
  const path = useAsync(trace ? `critical-path:${traceId}` : null, (signal) =>
    fetchCriticalPath(traceId, signal),
  );
  const critical = useMemo(() => {
    if (path.status === 'error') return path.error;
    if (path.status !== 'done' || !summary) return null;
    return criticalOverlay(rows, path.data, summary.startTime);
  }, [path, rows, summary]);

  const selectedSpanId = new URLSearchParams(search).get('span');
  const selectedIndex = useMemo(
    () => (selectedSpanId ? rows.findIndex((r) => r.span.spanID === selectedSpanId) : -1),
    [rows, selectedSpanId],
  );
  const select = useCallback(
    (spanId: string | null) => navigate(traceUrl(traceId, spanId ?? undefined), { replace: true }),
    [traceId],
  );

  if (state.status === 'loading' || state.status === 'idle') {
    return (
      <div className="page-message" data-testid="trace-loading">
        <p>Loading trace {traceId}…</p>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="page-message error" data-testid="trace-error">
        <h1>Could not load the trace</h1>
        <p>{state.error}</p>
      </div>
    );
  }
  if (!trace || !summary || trace.spans.length === 0) {
    return (
      <div className="page-message" data-testid="trace-not-found">
        <h1>Trace not found</h1>
        <p>
          No trace with ID <code>{traceId}</code> is stored. It may be older than the retention, or not yet
          written. <Link to="/search">Search traces</Link>
        </p>
      </div>
    );
  }

  const selected = selectedIndex >= 0 ? rows[selectedIndex] : null;
  return (
    <div className="trace-page" data-testid="trace-page">
      <TraceHeader summary={summary} depth={depth} />
      <ValueStreamPanel traceId={traceId} />
      <div className="trace-body">
        <Waterfall
          trace={trace}
          rows={rows}
          traceStart={summary.startTime}
          traceDuration={summary.duration}
          selectedIndex={selectedIndex}
          onSelect={select}
          critical={critical}
        />
        {selected && (
          <SpanDetail
            trace={trace}
            row={selected}
            rows={rows}
            traceStart={summary.startTime}
            onSelect={select}
            onClose={() => select(null)}
          />
        )}
      </div>
    </div>
  );
}
