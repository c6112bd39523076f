import { LOOKBACKS } from '../search/search-params.ts';

type Props = {
  service: string;
  operation: string;
  lookback: string;
  services: string[];
  /** 'loading', 'done', or an error message */
  servicesState: string;
  operations: string[];
  onChange: (next: { service: string; operation: string; lookback: string }) => void;
  onRefresh: () => void;
};

/** Service, operation and lookback of the value-stream page; each change applies at once. */
export function VsPickers(p: Props) {
  // A service or operation from the URL stays selectable before (or without) the lists.
  const services = p.service && !p.services.includes(p.service) ? [p.service, ...p.services] : p.services;
  const operations =
    p.operation && !p.operations.includes(p.operation) ? [p.operation, ...p.operations] : p.operations;
  const failed = p.servicesState !== 'loading' && p.servicesState !== 'done' && p.servicesState !== 'idle';
  const current = { service: p.service, operation: p.operation, lookback: p.lookback };
  return (
    <div className="vs-pickers" data-testid="vs-pickers">
      <label>
        Service
        <select
          value={p.service}
          onChange={(e) => p.onChange({ ...current, service: e.target.value, operation: '' })}
          data-testid="vs-service-select"
        >
          {services.length === 0 && (
            <option value="">{p.servicesState === 'loading' ? 'Loading…' : 'No services yet'}</option>
          )}
          {services.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Operation
        <select
          value={p.operation}
          onChange={(e) => p.onChange({ ...current, operation: e.target.value })}
          data-testid="vs-operation-select"
        >
          <option value="">all</option>
          {operations.map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lookback
        <select
          value={p.lookback}
          onChange={(e) => p.onChange({ ...current, lookback: e.target.value })}
          data-testid="vs-lookback-select"
        >
          {LOOKBACKS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={p.onRefresh} data-testid="vs-refresh">
        Refresh
      </button>
      {failed && <span className="field-error">Services could not be loaded: {p.servicesState}</span>}
    </div>
  );
}
