// The UI's pages, matched from location.pathname.

export type Route =
  | { page: 'search' }
  | { page: 'trace'; traceId: string }
  | { page: 'value-stream' }
  | { page: 'not-found'; path: string };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/search') return { page: 'search' };
  if (path === '/value-stream') return { page: 'value-stream' };
  const m = /^\/trace\/([^/]+)$/.exec(path);
  if (m) {
    let id: string;
    try {
      id = decodeURIComponent(m[1]);
    } catch {
      id = m[1];
    }
    return { page: 'trace', traceId: id };
  }
  return { page: 'not-found', path: pathname };
}

/** The trace page's URL; `spanId` selects a span. */
export function traceUrl(traceId: string, spanId?: string): string {
  const base = `/trace/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}?span=${encodeURIComponent(spanId)}` : base;
}

/** Trims what users paste into the lookup box: spaces, and a whole /trace/… URL. */
export function normalizeTraceIdInput(text: string): string {
  const t = text.trim();
  const m = /\/trace\/([^/?#\s]+)/.exec(t);
  return (m ? m[1] : t).toLowerCase();
}
