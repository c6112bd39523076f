import { useEffect } from 'react';
import { TopBar } from './components/top-bar.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { TracePage } from './pages/trace-page.tsx';
import { ValueStreamPage } from './pages/value-stream-page.tsx';
import { useLocation } from './router/history.ts';
import { Link } from './router/link.tsx';
import { matchRoute } from './router/routes.ts';

export function App() {
  const location = useLocation();
  const route = matchRoute(location.pathname);

  const title =
    route.page === 'trace'
      ? `Trace ${route.traceId.slice(0, 8)} · Genba`
      : route.page === 'search'
        ? 'Search · Genba'
        : route.page === 'value-stream'
          ? 'Value stream · Genba'
          : 'Genba';
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <div className="app">
      <TopBar />
      <main className="app-main">
        {route.page === 'search' && <SearchPage search={location.search} />}
        {route.page === 'trace' && (
          <TracePage key={route.traceId} traceId={route.traceId} search={location.search} />
        )}
        {route.page === 'value-stream' && <ValueStreamPage search={location.search} />}
        {route.page === 'not-found' && (
          <div className="page-message" data-testid="not-found">
            <h1>Page not found</h1>
            <p>
              Nothing lives at <code>{route.path}</code>. <Link to="/search">Search traces</Link>
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
