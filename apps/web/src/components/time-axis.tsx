import { type PointerEvent, useRef } from 'react';
import type { Tick } from '../trace/ticks.ts';

type Props = { ticks: Tick[]; onNameWidth: (fraction: number) => void };

/** The header row: the name column's title and resize handle, then the tick labels. */
export function TimeAxis({ ticks, onNameWidth }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const startDrag = (e: PointerEvent<HTMLDivElement>) => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    e.preventDefault();
    const move = (ev: globalThis.PointerEvent) => {
      const f = (ev.clientX - box.left) / box.width;
      onNameWidth(Math.min(0.7, Math.max(0.12, f)));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <div className="wf-axis" ref={ref}>
      <div className="wf-axis-name">Service &amp; operation</div>
      <div className="wf-axis-ticks" data-testid="time-axis">
        {ticks.map((t) => (
          <span
            key={t.fraction}
            className="wf-tick-label"
            style={t.fraction > 0.97 ? { right: 0 } : { left: `${t.fraction * 100}%` }}
          >
            {t.label}
          </span>
        ))}
      </div>
      <div className="wf-resize" onPointerDown={startDrag} title="Drag to resize the columns" />
    </div>
  );
}
