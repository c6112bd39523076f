import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { JaegerTrace } from '../api/jaeger-types.ts';
import type { CriticalOverlay } from '../trace/critical-path.ts';
import { findRows } from '../trace/find.ts';
import {
  collapseAll,
  collapseToDepth,
  revealRow,
  type SpanRow,
  toggleCollapsed,
  treeDepth,
  visibleRows,
} from '../trace/rows.ts';
import { timeTicks } from '../trace/ticks.ts';
import { TimeAxis } from './time-axis.tsx';
import { WaterfallRow } from './waterfall-row.tsx';
import { WaterfallToolbar } from './waterfall-toolbar.tsx';

export const ROW_HEIGHT = 26;

type Props = {
  trace: JaegerTrace;
  rows: SpanRow[];
  traceStart: number;
  traceDuration: number;
  selectedIndex: number;
  onSelect: (spanId: string | null) => void;
  /** the critical path by row; null while it loads, a message when it failed */
  critical: CriticalOverlay | string | null;
};

export function Waterfall({
  trace,
  rows,
  traceStart,
  traceDuration,
  selectedIndex,
  onSelect,
  critical,
}: Props) {
  const [collapsed, setCollapsed] = useState<Set<number>>(() => new Set());
  const [nameWidth, setNameWidth] = useState(0.33);
  const [findText, setFindText] = useState('');
  const [findPos, setFindPos] = useState(-1);
  const [showCritical, setShowCritical] = useState(true);
  const overlay = critical !== null && typeof critical !== 'string' && showCritical ? critical : null;
  const visible = useMemo(() => visibleRows(rows, collapsed), [rows, collapsed]);
  const ticks = useMemo(() => timeTicks(traceDuration), [traceDuration]);
  const depth = useMemo(() => treeDepth(rows), [rows]);
  // Typing stays responsive on 100k spans: the match pass runs on a deferred copy of the text.
  const deferredFind = useDeferredValue(findText);
  const matches = useMemo(() => findRows(trace, rows, deferredFind), [trace, rows, deferredFind]);
  const matchSet = useMemo(() => new Set(matches), [matches]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  // A span chosen by URL or from the detail panel: make it visible and bring it into view.
  const pendingScroll = useRef(selectedIndex);
  useEffect(() => {
    if (selectedIndex < 0) return;
    setCollapsed((c) => {
      const next = revealRow(rows, c, selectedIndex);
      return next.size === c.size ? c : next;
    });
    pendingScroll.current = selectedIndex;
  }, [rows, selectedIndex]);
  useEffect(() => {
    if (pendingScroll.current < 0) return;
    const pos = visible.findIndex((r) => r.index === pendingScroll.current);
    if (pos < 0) return;
    pendingScroll.current = -1;
    const el = scrollRef.current;
    const top = pos * ROW_HEIGHT;
    if (el && (top < el.scrollTop || top > el.scrollTop + el.clientHeight - ROW_HEIGHT)) {
      virtualizer.scrollToIndex(pos, { align: 'center' });
    }
  }, [visible, virtualizer]);

  const toggle = useCallback((index: number) => setCollapsed((c) => toggleCollapsed(c, index)), []);
  const select = useCallback(
    (row: SpanRow) => onSelect(row.index === selectedIndex ? null : row.span.spanID),
    [onSelect, selectedIndex],
  );

  const gotoMatch = (step: number) => {
    if (matches.length === 0) return;
    const next = (findPos + step + matches.length) % matches.length;
    setFindPos(next);
    const index = matches[next];
    setCollapsed((c) => revealRow(rows, c, index));
    pendingScroll.current = index;
  };

  const columns = { '--name-width': `${(nameWidth * 100).toFixed(2)}%` } as CSSProperties;
  return (
    <section className="waterfall" data-testid="waterfall" style={columns}>
      <WaterfallToolbar
        depth={depth}
        shown={visible.length}
        total={rows.length}
        onExpandAll={() => setCollapsed(new Set())}
        onCollapseAll={() => setCollapsed(collapseAll(rows))}
        onShowLevels={(levels) => setCollapsed(collapseToDepth(rows, levels - 1))}
        findText={findText}
        onFindText={(t) => {
          setFindText(t);
          setFindPos(-1);
        }}
        matchCount={matches.length}
        matchPos={findPos}
        onFindStep={gotoMatch}
        critical={
          critical === null || typeof critical === 'string' ? critical : { spans: critical.spanCount }
        }
        showCritical={showCritical}
        onShowCritical={setShowCritical}
      />
      <TimeAxis ticks={ticks} onNameWidth={setNameWidth} />
      <div className="wf-scroll" ref={scrollRef} data-testid="waterfall-scroll">
        <div className="wf-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = visible[item.index];
            return (
              <WaterfallRow
                key={row.index}
                trace={trace}
                row={row}
                top={item.start}
                height={ROW_HEIGHT}
                ticks={ticks}
                traceStart={traceStart}
                traceDuration={traceDuration}
                collapsed={collapsed.has(row.index)}
                selected={row.index === selectedIndex}
                matched={matchSet.has(row.index)}
                critical={overlay?.byRow[row.index]}
                onToggle={toggle}
                onSelect={select}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}
