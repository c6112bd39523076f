/**
 * Andon: the cord anyone on the line pulls to signal a problem. A signal is an event on the
 * span that was active when it was raised, plus a short span for its handling.
 */
import type { Attributes } from '@opentelemetry/api';
import { SpanKind, trace } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { MaybeAttributes } from '../helpers/span-tools.ts';
import { addEvent, markDefect, setAttributes } from '../helpers/span-tools.ts';
import { runWithHandle, type SpanHandle, spanHandle, startTpsSpan } from './span-handle.ts';

export type AndonSeverity = 'info' | 'warning' | 'error' | 'critical';

const SEVERITIES: ReadonlySet<string> = new Set(['info', 'warning', 'error', 'critical']);

export interface AndonSignal {
  severity: AndonSeverity;
  message: string;
  /** Who or what responds to the signal. */
  handler?: string;
  /** Extra attributes, recorded verbatim on both the event and the span. */
  attributes?: Attributes;
}

export interface AndonOutcome {
  /** Whether the signal was dealt with. Default false. */
  handled?: boolean;
  handler?: string;
}

export interface AndonHandle extends SpanHandle<AndonOutcome | undefined> {
  end(outcome?: AndonOutcome): void;
}

/**
 * Adds an `andon.signal` event to the active span (if any) and starts a span `andon <severity>`
 * under it. `error` and `critical` are defects: status ERROR, `genba.waste=defect`.
 */
export function logEvent(signal: AndonSignal): AndonHandle {
  let severity: string = signal?.severity;
  if (!SEVERITIES.has(severity)) {
    reportOnce(
      'andon.logEvent.severity',
      `andon.logEvent: unknown severity ${String(severity)}; using warning`,
    );
    severity = 'warning';
  }
  const message = typeof signal?.message === 'string' ? signal.message : '';
  const fields: MaybeAttributes = {
    ...signal?.attributes,
    'andon.severity': severity,
    'andon.message': message,
    'andon.handler': signal?.handler,
  };
  const active = trace.getActiveSpan();
  if (active) addEvent(active, 'andon.signal', fields);

  const defect = severity === 'error' || severity === 'critical';
  const span = startTpsSpan(
    'andon',
    `andon ${severity}`,
    SpanKind.INTERNAL,
    defect ? 'defect' : 'processing',
    fields,
  );
  if (defect) markDefect(span, message);
  return spanHandle('andon.logEvent', span, (outcome) => {
    setAttributes(span, { 'andon.handled': outcome?.handled === true, 'andon.handler': outcome?.handler });
  });
}

/**
 * `logEvent` around `fn(handle)`, the response to the signal: handled when it resolves, not
 * handled when it throws (the error is recorded and rethrown).
 */
export function withSignal<R>(
  signal: AndonSignal,
  fn: (handle: AndonHandle) => R | PromiseLike<R>,
): Promise<R> {
  const handle = logEvent(signal);
  return runWithHandle(
    handle,
    fn,
    () => handle.end({ handled: true }),
    () => handle.end({ handled: false }),
  );
}
