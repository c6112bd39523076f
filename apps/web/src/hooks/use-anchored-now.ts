import { useState } from 'react';

/**
 * "Now" in epoch µs, taken again only when `key` changes: every request of a page then shares one
 * window, and re-rendering does not move it.
 */
export function useAnchoredNow(key: string): number {
  const [anchor, setAnchor] = useState(() => ({ key, now: Date.now() * 1000 }));
  if (anchor.key !== key) {
    // Derived state, updated during render as React documents: no effect, no stale first fetch.
    const next = { key, now: Date.now() * 1000 };
    setAnchor(next);
    return next.now;
  }
  return anchor.now;
}
