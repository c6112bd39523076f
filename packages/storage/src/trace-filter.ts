/**
 * Turns a TraceQuery into a WHERE clause over `spans`, with every value a bound parameter.
 * Only column names and parameter placeholders that this file writes appear in the SQL text.
 */
import type { Dialect } from './dialect.ts';
import { StorageError } from './errors.ts';
import { spanKindFromName } from './span-kind-names.ts';
import type { TraceQuery } from './storage.ts';
import type { QueryParams } from './transport.ts';

const STATUS: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

export function traceFilter(d: Dialect, q: TraceQuery): { where: string; params: QueryParams } {
  const params: QueryParams = {
    service: q.service,
    startMin: q.startMin,
    startMax: q.startMax,
  };
  const and = [
    'service = {service:String}',
    `${d.start} >= ${d.nanos('startMin')}`,
    `${d.start} <= ${d.nanos('startMax')}`,
  ];
  if (q.operation) {
    params.operation = q.operation;
    and.push('name = {operation:String}');
  }
  if (q.durationMin !== undefined) {
    params.durationMin = q.durationMin;
    and.push('duration_ns >= {durationMin:Int64}');
  }
  if (q.durationMax !== undefined) {
    params.durationMax = q.durationMax;
    and.push('duration_ns <= {durationMax:Int64}');
  }
  let i = 0;
  for (const [key, value] of Object.entries(q.tags ?? {})) {
    const k = `k${i}`;
    const v = `v${i}`;
    i++;
    params[k] = key;
    params[v] = value;
    and.push(tagCondition(d, key, value, k, v));
  }
  return { where: and.join(' AND '), params };
}

function tagCondition(d: Dialect, key: string, value: string, k: string, v: string): string {
  const a = d.attr('attributes', k);
  const r = d.attr('resource_attributes', k);
  const generic =
    value === ''
      ? `(${d.hasAttr('attributes', k)} AND ${a} = '' OR ${d.hasAttr('resource_attributes', k)} AND ${r} = '')`
      : `(${a} = {${v}:String} OR ${r} = {${v}:String})`;
  switch (key) {
    case 'error':
      // Jaeger shows ERROR status as error=true, so searching for it must find those spans.
      if (value === 'true') return `(status_code = 2 OR ${generic})`;
      if (value === 'false') return `(status_code != 2 AND ${a} != 'true')`;
      return generic;
    case 'span.kind': {
      const kind = spanKindFromName(value);
      if (kind === undefined) throw new StorageError(`unknown span.kind "${value}"`, 'invalid');
      return `kind = ${kind}`;
    }
    case 'otel.status_code': {
      const code = STATUS[value.toUpperCase()];
      if (code === undefined) throw new StorageError(`unknown otel.status_code "${value}"`, 'invalid');
      return `status_code = ${code}`;
    }
    case 'otel.status_description':
      return `status_message = {${v}:String}`;
    case 'otel.scope.name':
      return `scope_name = {${v}:String}`;
    case 'otel.scope.version':
      return `scope_version = {${v}:String}`;
    default:
      return generic;
  }
}
