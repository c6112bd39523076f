/** Spans by start time, then id, so every reader sees one stable order. */
import type { Span } from '@genba/model';

export function sortSpans(spans: readonly Span[]): Span[] {
  return [...spans].sort((a, b) =>
    a.startTimeUnixNano < b.startTimeUnixNano
      ? -1
      : a.startTimeUnixNano > b.startTimeUnixNano
        ? 1
        : a.spanId < b.spanId
          ? -1
          : a.spanId > b.spanId
            ? 1
            : 0,
  );
}
