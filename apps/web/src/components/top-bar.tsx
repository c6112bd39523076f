import { type FormEvent, useState } from 'react';
import { navigate, useLocation } from '../router/history.ts';
import { Link } from '../router/link.tsx';
import { normalizeTraceIdInput, traceUrl } from '../router/routes.ts';

export function TopBar() {
  const { pathname } = useLocation();
  const [traceId, setTraceId] = useState('');

  const lookup = (e: FormEvent) => {
    e.preventDefault();
    const id = normalizeTraceIdInput(traceId);
    if (!id) return;
    setTraceId('');
    navigate(traceUrl(id));
  };

  return (
    <header className="top-bar">
      <Link to="/search" className="brand">
        Genba
      </Link>
      <nav className="top-nav">
        <Link to="/search" className={pathname === '/' || pathname.startsWith('/search') ? 'active' : ''}>
          Search
        </Link>
        <Link
          to="/value-stream"
          className={pathname.startsWith('/value-stream') ? 'active' : ''}
          data-testid="nav-value-stream"
        >
          Value stream
        </Link>
      </nav>
      <form className="trace-lookup" onSubmit={lookup} data-testid="trace-lookup">
        <input
          type="search"
          placeholder="Look up by trace ID…"
          aria-label="Trace ID"
          value={traceId}
          onChange={(e) => setTraceId(e.target.value)}
          data-testid="trace-lookup-input"
          spellCheck={false}
        />
        <button type="submit" data-testid="trace-lookup-button">
          Go
        </button>
      </form>
    </header>
  );
}
