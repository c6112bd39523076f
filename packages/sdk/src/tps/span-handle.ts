/**
 * The shape every TPS builder returns: the span, and an `end` that records the outcome and
 * ends the span exactly once. Nothing here throws into the caller.
 */
import type { Span, SpanKind } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import type { MaybeAttributes } from '../helpers/span-tools.ts';
import { defined, endSpan, markFailed, runInSpan, startSpan } from '../helpers/span-tools.ts';
import type { GenbaComponent, Waste } from './conventions.ts';
import { ATTR_GENBA_COMPONENT, ATTR_GENBA_WASTE } from './conventions.ts';

export interface SpanHandle<Outcome> {
  readonly span: Span;
  /** True once `end` has run; lets shared code end a span only if the caller has not. */
  readonly ended: boolean;
  end(outcome: Outcome): void;
}

/** A TPS span under the active context, with `genba.component` and the starting waste hint. */
export function startTpsSpan(
  component: GenbaComponent,
  name: string,
  kind: SpanKind,
  waste: Waste,
  attributes: MaybeAttributes,
): Span {
  return startSpan(name, {
    kind,
    attributes: defined({ ...attributes, [ATTR_GENBA_COMPONENT]: component, [ATTR_GENBA_WASTE]: waste }),
  });
}

/**
 * Wraps `span` so that `end(outcome)` runs `record(outcome)` then ends it, once. A second call is
 * reported (once per builder) and ignored; an error inside `record` is reported, never thrown.
 */
export function spanHandle<Outcome>(
  what: string,
  span: Span,
  record: (outcome: Outcome) => void,
): SpanHandle<Outcome> {
  let ended = false;
  return {
    span,
    get ended() {
      return ended;
    },
    end(outcome: Outcome) {
      if (ended) {
        reportOnce(`${what}.end-twice`, `${what}: end() called again on an ended span; ignored`);
        return;
      }
      ended = true;
      try {
        record(outcome);
      } catch (err) {
        reportOnce(`${what}.end-record`, `${what}: could not record the outcome`, err);
      }
      endSpan(span);
    },
  };
}

/**
 * Runs `fn(handle)` with the span active. If `fn` did not end the handle, ends it with
 * `onSuccess(value)`, or on a throw records the error and ends it with `onFailure`, then rethrows.
 */
export async function runWithHandle<H extends SpanHandle<never>, R>(
  handle: H,
  fn: (handle: H) => R | PromiseLike<R>,
  onSuccess: (value: R) => void,
  onFailure: () => void,
): Promise<R> {
  try {
    const value = await runInSpan(handle.span, () => fn(handle));
    if (!handle.ended) onSuccess(value);
    return value;
  } catch (err) {
    if (!handle.ended) {
      markFailed(handle.span, err);
      onFailure();
    }
    throw err;
  }
}

/** A required name the caller left out: reported once, recorded as `unknown` rather than thrown. */
export function nameOf(value: unknown, what: string): string {
  if (typeof value === 'string' && value !== '') return value;
  reportOnce(`${what}.name`, `${what}: expected a non-empty name, got ${typeof value}`);
  return typeof value === 'number' ? String(value) : 'unknown';
}
