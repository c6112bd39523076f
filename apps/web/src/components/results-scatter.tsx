import { formatDuration } from '../format/duration.ts';
import { formatTimestamp } from '../format/time.ts';
import { navigate } from '../router/history.ts';
import { traceUrl } from '../router/routes.ts';
import type { TraceSummary } from '../trace/summary.ts';

const W = 800;
const H = 140;
const PAD = { left: 64, right: 16, top: 12, bottom: 24 };

/** Duration against start time, one dot per trace (as in jaeger-ui); a click opens the trace. */
export function ResultsScatter({ summaries }: { summaries: TraceSummary[] }) {
  if (summaries.length === 0) return null;
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  let dMax = 0;
  let nMax = 1;
  for (const s of summaries) {
    t0 = Math.min(t0, s.startTime);
    t1 = Math.max(t1, s.startTime);
    dMax = Math.max(dMax, s.duration);
    nMax = Math.max(nMax, s.spanCount);
  }
  const span = t1 - t0 || 1;
  const x = (t: number) => PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right);
  const y = (d: number) => H - PAD.bottom - (dMax > 0 ? d / dMax : 0) * (H - PAD.top - PAD.bottom);
  const r = (n: number) => 3 + 5 * Math.sqrt(n / nMax);

  return (
    <svg className="scatter" viewBox={`0 0 ${W} ${H}`} data-testid="results-scatter">
      <title>Trace duration by start time</title>
      <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} className="axis" />
      <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} className="axis" />
      <text x={PAD.left - 6} y={PAD.top + 4} className="axis-label" textAnchor="end">
        {formatDuration(dMax)}
      </text>
      <text x={PAD.left - 6} y={H - PAD.bottom} className="axis-label" textAnchor="end">
        0
      </text>
      <text x={PAD.left} y={H - 6} className="axis-label">
        {formatTimestamp(t0).slice(11, 19)}
      </text>
      <text x={W - PAD.right} y={H - 6} className="axis-label" textAnchor="end">
        {formatTimestamp(t1).slice(11, 19)}
      </text>
      {summaries.map((s) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: the result list below offers the same links
        <circle
          key={s.traceID}
          cx={x(s.startTime)}
          cy={y(s.duration)}
          r={r(s.spanCount)}
          className={s.errorCount > 0 ? 'dot dot-error' : 'dot'}
          onClick={() => navigate(traceUrl(s.traceID))}
        >
          <title>{`${s.rootService}: ${s.rootName} · ${formatDuration(s.duration)} · ${s.spanCount} spans`}</title>
        </circle>
      ))}
    </svg>
  );
}
