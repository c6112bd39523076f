import { memo } from 'react';
import type { JaegerTrace } from '../api/jaeger-types.ts';
import { formatDuration } from '../format/duration.ts';
import { serviceColor } from '../trace/colors.ts';
import { type CriticalMark, markBox } from '../trace/critical-path.ts';
import type { SpanRow } from '../trace/rows.ts';
import { isErrorSpan, serviceOf } from '../trace/span-info.ts';
import type { Tick } from '../trace/ticks.ts';

/** Indentation stops growing here, so very deep trees keep some room for their names. */
const MAX_INDENT_LEVELS = 40;
const INDENT_PX = 14;

type Props = {
  trace: JaegerTrace;
  row: SpanRow;
  top: number;
  height: number;
  ticks: Tick[];
  traceStart: number;
  traceDuration: number;
  collapsed: boolean;
  selected: boolean;
  matched: boolean;
  /** the row's stretches on the critical path, when the overlay is on */
  critical?: CriticalMark[];
  onToggle: (index: number) => void;
  onSelect: (row: SpanRow) => void;
};

function WaterfallRowView(p: Props) {
  const { row, trace } = p;
  const span = row.span;
  const service = serviceOf(trace, span);
  const color = serviceColor(service);
  const error = isErrorSpan(span);
  const total = p.traceDuration > 0 ? p.traceDuration : 1;
  const left = ((span.startTime - p.traceStart) / total) * 100;
  const width = Math.max((span.duration / total) * 100, 0.15);
  const indent = Math.min(row.depth, MAX_INDENT_LEVELS) * INDENT_PX;
  const classes = ['wf-row'];
  if (p.selected) classes.push('selected');
  if (error) classes.push('error');
  if (p.matched) classes.push('matched');
  if (p.critical) classes.push('on-critical');

  return (
    // biome-ignore lint/a11y/useSemanticElements: a virtualised row of a tree grid, not a button
    <div
      className={classes.join(' ')}
      style={{ transform: `translateY(${p.top}px)`, height: p.height }}
      role="button"
      tabIndex={0}
      aria-pressed={p.selected}
      onClick={() => p.onSelect(row)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          p.onSelect(row);
        }
      }}
      data-testid="waterfall-row"
      data-span-id={span.spanID}
      data-row={row.index}
      data-depth={row.depth}
      data-critical={p.critical ? p.critical.length : undefined}
    >
      <div className="wf-name">
        <span className="wf-indent" style={{ width: indent }} />
        {row.childCount > 0 ? (
          <button
            type="button"
            className="wf-chevron"
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(row.index);
            }}
            aria-label={p.collapsed ? 'Expand' : 'Collapse'}
            aria-expanded={!p.collapsed}
            data-testid="row-toggle"
          >
            {p.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="wf-chevron-space" />
        )}
        <span className="wf-swatch" style={{ background: color }} />
        {error && (
          <span className="wf-error-mark" title="error" data-testid="row-error">
            !
          </span>
        )}
        <span className="wf-service">{service}</span>
        <span className="wf-op">{span.operationName}</span>
        {row.depth > MAX_INDENT_LEVELS && <span className="wf-note">depth {row.depth}</span>}
        {row.orphan && (
          <span className="wf-note warn" title="its parent span is not in the trace">
            orphan
          </span>
        )}
        {p.collapsed && <span className="wf-note">+{row.subtreeEnd - row.index - 1}</span>}
      </div>
      <div className="wf-timeline">
        {p.ticks.map((t) =>
          t.fraction > 0 ? (
            <span key={t.fraction} className="wf-gridline" style={{ left: `${t.fraction * 100}%` }} />
          ) : null,
        )}
        <span className="wf-bar" style={{ left: `${left}%`, width: `${width}%`, background: color }} />
        {p.critical?.map((m) => {
          const box = markBox(m, total);
          return (
            <span
              key={m.start}
              className="wf-critical"
              style={{ left: `${box.left}%`, width: `${box.width}%` }}
              data-testid="critical-mark"
            />
          );
        })}
        <span className="wf-bar-label" style={{ left: `${left + width}%` }}>
          {formatDuration(span.duration)}
        </span>
      </div>
    </div>
  );
}

export const WaterfallRow = memo(WaterfallRowView);
