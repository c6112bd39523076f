import type { TimeBucket } from '../api/genba-types.ts';
import { formatPercent } from '../format/percent.ts';
import { formatTimestamp } from '../format/time.ts';
import { ratioChart } from '../value-stream/ratio-chart.ts';

const BOX = { width: 720, height: 150, left: 44, right: 12, top: 12, bottom: 24 };

/** The value-added ratio per time bucket, 0–100 %. */
export function RatioChartView({ buckets }: { buckets: TimeBucket[] }) {
  if (buckets.length === 0) return <p className="muted">No time buckets.</p>;
  const chart = ratioChart(buckets, BOX);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  const yMid = (chart.y0 + chart.y1) / 2;
  return (
    <svg className="ratio-chart" viewBox={`0 0 ${BOX.width} ${BOX.height}`} data-testid="ratio-chart">
      <title>Value-added ratio over time</title>
      {[chart.y1, yMid, chart.y0].map((y, i) => (
        <g key={y}>
          <line
            x1={BOX.left}
            x2={BOX.width - BOX.right}
            y1={y}
            y2={y}
            className={i === 2 ? 'axis' : 'grid'}
          />
          <text x={BOX.left - 6} y={y + 4} className="axis-label" textAnchor="end">
            {['100%', '50%', '0%'][i]}
          </text>
        </g>
      ))}
      <text x={BOX.left} y={BOX.height - 6} className="axis-label">
        {formatTimestamp(first.start).slice(5, 16)}
      </text>
      <text x={BOX.width - BOX.right} y={BOX.height - 6} className="axis-label" textAnchor="end">
        {formatTimestamp(last.end).slice(5, 16)}
      </text>
      <path d={chart.path} className="ratio-line" />
      {chart.points.map((p) => (
        <circle
          key={p.bucket.start}
          cx={p.x}
          cy={p.y}
          r={3.5}
          className="ratio-dot"
          data-testid="ratio-point"
        >
          <title>
            {`${formatTimestamp(p.bucket.start).slice(11, 19)}–${formatTimestamp(p.bucket.end).slice(11, 19)}: ` +
              `${formatPercent(p.bucket.valueAddedRatio)} value-added, ${p.bucket.traceCount} traces`}
          </title>
        </circle>
      ))}
      {chart.points.length === 0 && (
        <text x={BOX.width / 2} y={yMid} className="axis-label" textAnchor="middle">
          no traces in the window
        </text>
      )}
    </svg>
  );
}
