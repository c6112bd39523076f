import { useMemo, useState } from 'react';
import type { JaegerTrace } from '../api/jaeger-types.ts';
import type { AsyncState } from '../hooks/use-async.ts';
import { RESULT_ORDERS, type ResultOrder, sortSummaries, type TraceSummary } from '../trace/summary.ts';
import { ResultItem } from './result-item.tsx';
import { ResultsScatter } from './results-scatter.tsx';

type Props = {
  state: AsyncState<JaegerTrace[]>;
  summaries: TraceSummary[];
  hasQuery: boolean;
  /** the URL names a search that the form finds invalid */
  invalidQuery: boolean;
};

export function SearchResults({ state, summaries, hasQuery, invalidQuery }: Props) {
  const [order, setOrder] = useState<ResultOrder>('recent');
  const sorted = useMemo(() => sortSummaries(summaries, order), [summaries, order]);
  const maxDuration = useMemo(() => summaries.reduce((m, s) => Math.max(m, s.duration), 0), [summaries]);
  const nowMs = Date.now();

  if (!hasQuery) {
    return (
      <div className="page-message" data-testid="results-empty">
        <p>
          {invalidQuery
            ? 'This search has mistakes; correct the fields marked in red and press Find Traces.'
            : 'Choose a service and press Find Traces.'}
        </p>
      </div>
    );
  }
  if (state.status === 'loading' || state.status === 'idle') {
    return (
      <div className="page-message" data-testid="results-loading">
        <p>Searching…</p>
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="page-message error" data-testid="results-error">
        <p>The search failed: {state.error}</p>
      </div>
    );
  }
  if (sorted.length === 0) {
    return (
      <div className="page-message" data-testid="results-none">
        <p>No traces found. Try a longer lookback or fewer filters.</p>
      </div>
    );
  }
  return (
    <div className="results" data-testid="search-results">
      <ResultsScatter summaries={summaries} />
      <div className="results-header">
        <h2 data-testid="results-count">
          {sorted.length} {sorted.length === 1 ? 'trace' : 'traces'}
        </h2>
        <label className="results-sort">
          Sort
          <select
            value={order}
            onChange={(e) => setOrder(e.target.value as ResultOrder)}
            data-testid="results-sort"
          >
            {RESULT_ORDERS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ol className="result-list" data-testid="result-list">
        {sorted.map((s) => (
          <ResultItem key={s.traceID} summary={s} maxDuration={maxDuration} nowMs={nowMs} />
        ))}
      </ol>
    </div>
  );
}
