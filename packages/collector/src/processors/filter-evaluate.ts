/**
 * Evaluates a parsed `filter` condition against a span. Comparisons follow OTTL: a missing
 * value is nil; ints and doubles compare by value; values of different types are never equal
 * and never ordered (the comparison is false, not an error); strings order by code unit.
 */
import type { AttributeValue, Span } from '@genba/model';
import { durationNano } from '@genba/model';
import { asString } from './attributes-value.ts';
import type { CompareOp, Condition, Operand } from './filter-parser.ts';

type Value = AttributeValue | undefined;

function own(attrs: Record<string, AttributeValue>, key: string): Value {
  return Object.hasOwn(attrs, key) ? attrs[key] : undefined;
}

function read(op: Operand, span: Span): Value {
  if (op.type === 'literal') return op.value;
  if (op.type === 'match') {
    const v = read(op.target, span);
    const text =
      typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean'
          ? asString(v)
          : undefined;
    return text !== undefined && op.regex.test(text);
  }
  switch (op.path) {
    case 'name':
      return span.name;
    case 'kind':
      return BigInt(span.kind);
    case 'status.code':
      return BigInt(span.status.code);
    case 'status.message':
      return span.status.message;
    case 'duration_ms':
      return Number(durationNano(span)) / 1e6;
    case 'attributes':
      return own(span.attributes, op.key ?? '');
    case 'resource.attributes':
      return own(span.resource.attributes, op.key ?? '');
    case 'instrumentation_scope.name':
      return span.scope.name;
    case 'instrumentation_scope.version':
      return span.scope.version;
    case 'trace_id.string':
      return span.traceId;
    case 'span_id.string':
      return span.spanId;
    case 'parent_span_id.string':
      return span.parentSpanId;
  }
}

const isNumeric = (v: Value): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

function equal(a: Value, b: Value): boolean {
  const an = a === undefined || a === null;
  const bn = b === undefined || b === null;
  if (an || bn) return an && bn;
  if (isNumeric(a) && isNumeric(b)) return typeof a === typeof b ? a === b : Number(a) === Number(b);
  return typeof a !== 'object' && a === b;
}

/** -1, 0 or 1, or undefined when the two cannot be ordered. */
function order(a: Value, b: Value): number | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function compare(op: CompareOp, a: Value, b: Value): boolean {
  if (op === '==') return equal(a, b);
  if (op === '!=') return !equal(a, b);
  const o = order(a, b);
  if (o === undefined) return false;
  if (op === '<') return o < 0;
  if (op === '<=') return o <= 0;
  if (op === '>') return o > 0;
  return o >= 0;
}

export function evaluate(c: Condition, span: Span): boolean {
  switch (c.type) {
    case 'or':
      return evaluate(c.left, span) || evaluate(c.right, span);
    case 'and':
      return evaluate(c.left, span) && evaluate(c.right, span);
    case 'not':
      return !evaluate(c.operand, span);
    case 'compare':
      return compare(c.op, read(c.left, span), read(c.right, span));
    case 'test':
      return read(c.operand, span) === true;
  }
}
