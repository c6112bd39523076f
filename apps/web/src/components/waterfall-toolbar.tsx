import type { KeyboardEvent } from 'react';

type Props = {
  depth: number;
  shown: number;
  total: number;
  onExpandAll: () => void;
  onCollapseAll: () => void;
  onShowLevels: (levels: number) => void;
  findText: string;
  onFindText: (text: string) => void;
  matchCount: number;
  /** -1 before the first step */
  matchPos: number;
  onFindStep: (step: number) => void;
  /** null while the critical path loads; a string when it failed */
  critical: { spans: number } | string | null;
  showCritical: boolean;
  onShowCritical: (show: boolean) => void;
};

export function WaterfallToolbar(p: Props) {
  const levels = Array.from({ length: Math.min(p.depth, 12) }, (_, i) => i + 1);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      p.onFindStep(e.shiftKey ? -1 : 1);
    }
  };
  return (
    <div className="wf-toolbar">
      <button type="button" onClick={p.onExpandAll} data-testid="expand-all">
        Expand all
      </button>
      <button type="button" onClick={p.onCollapseAll} data-testid="collapse-all">
        Collapse all
      </button>
      <label className="wf-levels">
        Levels
        <select
          value=""
          onChange={(e) => e.target.value && p.onShowLevels(Number(e.target.value))}
          data-testid="show-levels"
        >
          <option value="">–</option>
          {levels.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label
        className="wf-critical-toggle"
        title={typeof p.critical === 'string' ? `critical path unavailable: ${p.critical}` : undefined}
      >
        <input
          type="checkbox"
          checked={p.showCritical && p.critical !== null && typeof p.critical !== 'string'}
          disabled={p.critical === null || typeof p.critical === 'string'}
          onChange={(e) => p.onShowCritical(e.target.checked)}
          data-testid="critical-path-toggle"
        />
        Critical path
        {p.critical !== null && typeof p.critical !== 'string' && (
          <span className="muted" data-testid="critical-span-count">
            ({p.critical.spans} {p.critical.spans === 1 ? 'span' : 'spans'})
          </span>
        )}
      </label>
      <span className="wf-count" data-testid="waterfall-count">
        {p.shown === p.total
          ? `${p.total} ${p.total === 1 ? 'span' : 'spans'}`
          : `${p.shown} of ${p.total} spans shown`}
      </span>
      <div className="wf-find">
        <input
          type="search"
          placeholder="Find in trace…"
          aria-label="Find in trace"
          value={p.findText}
          onChange={(e) => p.onFindText(e.target.value)}
          onKeyDown={onKey}
          data-testid="find-in-trace"
          spellCheck={false}
        />
        {p.findText.trim() && (
          <span className="wf-find-count" data-testid="find-count">
            {p.matchCount === 0
              ? 'no match'
              : p.matchPos >= 0
                ? `${p.matchPos + 1} / ${p.matchCount}`
                : `${p.matchCount} ${p.matchCount === 1 ? 'match' : 'matches'}`}
          </span>
        )}
        <button
          type="button"
          onClick={() => p.onFindStep(-1)}
          disabled={p.matchCount === 0}
          aria-label="Previous match"
        >
          ↑
        </button>
        <button
          type="button"
          onClick={() => p.onFindStep(1)}
          disabled={p.matchCount === 0}
          aria-label="Next match"
        >
          ↓
        </button>
      </div>
    </div>
  );
}
