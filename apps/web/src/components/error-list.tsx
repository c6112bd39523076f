import type { ErrorSignature } from '../api/genba-types.ts';
import { formatRelative, formatTimestamp } from '../format/time.ts';
import { Link } from '../router/link.tsx';
import { traceUrl } from '../router/routes.ts';

const MAX_SHOWN = 20;
const MAX_EXAMPLES = 3;

/** The service's errors grouped by signature, most frequent first, with example traces. */
export function ErrorList({ items }: { items: ErrorSignature[] }) {
  if (items.length === 0) {
    return (
      <p className="muted" data-testid="errors-none">
        No errors in the window.
      </p>
    );
  }
  const sorted = [...items].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen).slice(0, MAX_SHOWN);
  return (
    <ul className="vs-list" data-testid="error-list">
      {sorted.map((e) => (
        <li
          key={`${e.service}\u0000${e.operation}\u0000${e.exceptionType}\u0000${e.messagePattern}`}
          className="vs-list-item"
          data-testid="error-item"
        >
          <div className="vs-list-head">
            <span className="vs-list-title">
              <span className="error-text">{e.exceptionType || 'error'}</span>
              <span className="result-sep"> in </span>
              <span>{e.operation}</span>
            </span>
            <span className="badge error" title={`${e.traceCount} traces`}>
              {e.count}×
            </span>
          </div>
          <p className="vs-list-text mono">{e.messagePattern}</p>
          <p className="vs-list-meta muted">
            <span title={formatTimestamp(e.lastSeen)}>last {formatRelative(e.lastSeen)}</span>
            <span> · {e.traceCount === 1 ? '1 trace' : `${e.traceCount} traces`}</span>
            {e.exampleTraceIDs.slice(0, MAX_EXAMPLES).map((id) => (
              <span key={id}>
                {' · '}
                <Link to={traceUrl(id)}>
                  <code>{id.slice(0, 8)}</code>
                </Link>
              </span>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}
