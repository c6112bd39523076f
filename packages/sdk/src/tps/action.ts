/**
 * A unit of work whose outcome matters to the value stream (an order placed, a job run).
 * Metadata is flattened to `action.metadata.<key>` so it stays searchable as plain tags.
 */
import type { AttributeValue, Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { MaybeAttributes } from '../helpers/span-tools.ts';
import { markDefect, setAttributes } from '../helpers/span-tools.ts';
import { nameOf, runWithHandle, type SpanHandle, spanHandle, startTpsSpan } from './span-handle.ts';

export type ActionMetadata = Record<string, unknown>;

export interface ActionOptions {
  action: string;
  metadata?: ActionMetadata;
}

export interface ActionOutcome {
  /** `success`, `failure` (a defect), or any other word for a non-failing outcome. */
  result: 'success' | 'failure' | (string & {});
  /** Added to (and overriding) the metadata given at start. */
  metadata?: ActionMetadata;
}

export type ActionHandle = SpanHandle<ActionOutcome>;

/** Starts a span `action <action>`; end it with the result. */
export function execute(options: ActionOptions): ActionHandle {
  const name = nameOf(options?.action, 'action.execute');
  const span = startTpsSpan('action', `action ${name}`, SpanKind.INTERNAL, 'processing', {
    'action.name': name,
    ...flattenMetadata(options?.metadata),
  });
  return spanHandle('action.execute', span, (outcome) => record(span, name, outcome));
}

function record(span: Span, name: string, outcome: ActionOutcome): void {
  const result = typeof outcome?.result === 'string' ? outcome.result : 'unknown';
  setAttributes(span, { 'action.result': result, ...flattenMetadata(outcome?.metadata) });
  if (result === 'failure') markDefect(span, `action ${name} failed`);
}

/**
 * `action.metadata.<key>` for each entry: strings, numbers and booleans as they are, bigints
 * as text, other objects (arrays too) as JSON; null, undefined, functions and symbols dropped.
 */
function flattenMetadata(metadata: ActionMetadata | undefined): MaybeAttributes {
  const out: MaybeAttributes = {};
  if (metadata === null || typeof metadata !== 'object') return out;
  for (const key of Object.keys(metadata)) {
    const value = toAttribute(metadata[key]);
    if (value !== undefined) out[`action.metadata.${key}`] = value;
  }
  return out;
}

function toAttribute(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return undefined;
      try {
        return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
      } catch {
        return '[unserializable]';
      }
    default:
      return undefined;
  }
}

/** `execute` around `fn(handle)`: `success` when it resolves, `failure` when it throws (rethrown). */
export function withAction<R>(
  options: ActionOptions,
  fn: (handle: ActionHandle) => R | PromiseLike<R>,
): Promise<R> {
  const handle = execute(options);
  return runWithHandle(
    handle,
    fn,
    () => handle.end({ result: 'success' }),
    () => handle.end({ result: 'failure' }),
  );
}
