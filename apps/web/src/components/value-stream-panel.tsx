import { fetchTraceAnalysis } from '../api/genba-client.ts';
import { formatDuration } from '../format/duration.ts';
import { formatPercent } from '../format/percent.ts';
import { useAsync } from '../hooks/use-async.ts';
import { Link } from '../router/link.tsx';
import { serviceColor } from '../trace/colors.ts';
import { rankComponents } from '../value-stream/categories.ts';
import { vsToUrl } from '../value-stream/vs-params.ts';
import { CategoryBar } from './category-bar.tsx';

/** The trace's value stream on its critical path: categories, ratio, components, anomaly. */
export function ValueStreamPanel({ traceId }: { traceId: string }) {
  const state = useAsync(`analysis:${traceId}`, (signal) => fetchTraceAnalysis(traceId, signal));
  if (state.status === 'idle' || state.status === 'loading') {
    return (
      <section className="vs-panel muted" data-testid="vs-panel-loading">
        Analysing the critical path…
      </section>
    );
  }
  if (state.status === 'error') {
    return (
      <section className="vs-panel" data-testid="vs-panel-error">
        <span className="error-text">The value stream could not be computed: </span>
        <span>{state.error}</span>
      </section>
    );
  }
  const a = state.data;
  const components = rankComponents(a.components);
  return (
    <section className="vs-panel" data-testid="vs-panel" data-total={a.totalLatency}>
      <div className="vs-panel-head">
        <h2>Value stream</h2>
        <span className="vs-figure">
          Value-added <strong data-testid="vs-ratio">{formatPercent(a.valueAddedRatio)}</strong>
        </span>
        <span className="vs-figure">
          Critical path <strong data-testid="vs-total">{formatDuration(a.totalLatency)}</strong>
        </span>
        <span className="vs-figure">
          Bottleneck <strong data-testid="vs-bottleneck">{a.bottleneck || '–'}</strong>
        </span>
        {a.anomaly.detected ? (
          <span className="badge error" data-testid="vs-anomaly-badge">
            anomaly
          </span>
        ) : (
          <span className="badge ok" data-testid="vs-normal-badge">
            normal
          </span>
        )}
        <Link
          to={vsToUrl({ service: a.rootService, operation: a.rootOperation })}
          className="vs-panel-link"
          data-testid="vs-page-link"
        >
          Value stream of {a.rootService}: {a.rootOperation} →
        </Link>
      </div>
      <CategoryBar categories={a.categories} />
      <ul className="vs-components" data-testid="vs-components">
        {components.map((c) => (
          <li
            key={c.component}
            className={c.component === a.bottleneck ? 'vs-component bottleneck' : 'vs-component'}
            data-testid="vs-component"
            data-component={c.component}
            data-us={c.us}
          >
            <span className="swatch" style={{ background: serviceColor(c.component) }} />
            <span className="vs-component-name">{c.component}</span>
            <span className="vs-component-us">{formatDuration(c.us)}</span>
            <span className="muted">{formatPercent(c.fraction)}</span>
          </li>
        ))}
      </ul>
      <p className={a.anomaly.detected ? 'vs-reason anomalous' : 'vs-reason'} data-testid="vs-anomaly-reason">
        {a.anomaly.reason}
      </p>
    </section>
  );
}
