import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchAnomalies, fetchErrors, fetchValueStream, type WindowQuery } from '../api/genba-client.ts';
import { fetchOperations, fetchServices } from '../api/jaeger-client.ts';
import { AnomalyList } from '../components/anomaly-list.tsx';
import { AsyncCard } from '../components/async-card.tsx';
import { BottleneckTable } from '../components/bottleneck-table.tsx';
import { CompareSection } from '../components/compare-section.tsx';
import { ErrorList } from '../components/error-list.tsx';
import { RatioChartView } from '../components/ratio-chart-view.tsx';
import { VsAggregate } from '../components/vs-aggregate.tsx';
import { VsPickers } from '../components/vs-pickers.tsx';
import { useAnchoredNow } from '../hooks/use-anchored-now.ts';
import { useAsync } from '../hooks/use-async.ts';
import { navigate } from '../router/history.ts';
import {
  type CompareWindows,
  lookbackWindow,
  previousPeriod,
  vsFromUrl,
  vsToUrl,
} from '../value-stream/vs-params.ts';

/** Time buckets of the ratio-over-time chart. */
const BUCKETS = 12;
const LAST_SERVICE_KEY = 'genba.lastService';

function rememberedService(): string {
  try {
    return window.localStorage.getItem(LAST_SERVICE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** One service's value stream over a lookback window, its bottlenecks, anomalies, errors and a before/after. */
export function ValueStreamPage({ search }: { search: string }) {
  const params = useMemo(() => vsFromUrl(search), [search]);
  const { service, operation, lookback } = params;
  const [refreshes, setRefreshes] = useState(0);
  // One "now" for every request of the page, taken again when the window's inputs change.
  const now = useAnchoredNow(`${service}\u0000${operation}\u0000${lookback}\u0000${refreshes}`);
  const win = useMemo(() => lookbackWindow(lookback, now), [lookback, now]);

  const services = useAsync('services', fetchServices);
  const serviceList = services.status === 'done' ? services.data : [];
  const operations = useAsync(service ? `ops:${service}` : null, (signal) =>
    fetchOperations(service, signal),
  );

  // With no service in the URL, choose the last one used, else the first.
  useEffect(() => {
    if (service || serviceList.length === 0) return;
    const last = rememberedService();
    navigate(vsToUrl({ service: serviceList.includes(last) ? last : serviceList[0], lookback }), {
      replace: true,
    });
  }, [service, serviceList, lookback]);

  const query: WindowQuery | null = service ? { service, operation, start: win.start, end: win.end } : null;
  const key = query ? `${query.service}\u0000${query.operation}\u0000${query.start}\u0000${query.end}` : null;
  const vs = useAsync(key && `vs:${key}`, (signal) =>
    fetchValueStream({ ...query!, buckets: BUCKETS }, signal),
  );
  const anomalies = useAsync(key && `anomalies:${key}`, (signal) => fetchAnomalies(query!, signal));
  const errors = useAsync(key && `errors:${key}`, (signal) => fetchErrors(query!, signal));

  const windows = params.compare ?? previousPeriod(win);
  const change = useCallback((next: { service: string; operation: string; lookback: string }) => {
    try {
      if (next.service) window.localStorage.setItem(LAST_SERVICE_KEY, next.service);
    } catch {
      // private mode: nothing to remember
    }
    navigate(vsToUrl(next));
  }, []);
  const applyWindows = (compare: CompareWindows | null) =>
    navigate(vsToUrl({ service, operation, lookback, compare }), { replace: true });

  return (
    <div className="vs-page" data-testid="vs-page" data-start={win.start} data-end={win.end}>
      <header className="vs-page-head">
        <h1>Value stream</h1>
        <VsPickers
          service={service}
          operation={operation}
          lookback={lookback}
          services={serviceList}
          servicesState={services.status === 'error' ? services.error : services.status}
          operations={operations.status === 'done' ? operations.data : []}
          onChange={change}
          onRefresh={() => setRefreshes((n) => n + 1)}
        />
      </header>
      {!service ? (
        <div className="page-message" data-testid="vs-choose">
          <p>{services.status === 'done' ? 'No services have sent traces yet.' : 'Loading services…'}</p>
        </div>
      ) : (
        <div className="vs-grid">
          <AsyncCard title="Aggregate" state={vs} testId="vs-aggregate">
            {(data) => <VsAggregate vs={data} />}
          </AsyncCard>
          <AsyncCard title="Value-added ratio over time" state={vs} testId="vs-ratio-over-time">
            {(data) => <RatioChartView buckets={data.buckets} />}
          </AsyncCard>
          <AsyncCard title="Bottleneck ranking" state={vs} testId="vs-ranking" className="vs-wide">
            {(data) => <BottleneckTable components={data.components} />}
          </AsyncCard>
          <CompareSection
            service={service}
            operation={operation}
            windows={windows}
            isDefault={params.compare === null}
            onApply={applyWindows}
            onReset={() => applyWindows(null)}
          />
          <AsyncCard title="Anomalies" state={anomalies} testId="vs-anomalies">
            {(data) => <AnomalyList items={data} />}
          </AsyncCard>
          <AsyncCard title={`Top errors in ${service}`} state={errors} testId="vs-errors">
            {(data) => <ErrorList items={data} />}
          </AsyncCard>
        </div>
      )}
    </div>
  );
}
