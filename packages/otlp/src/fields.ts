/**
 * What the decoders know about each OTLP message: the wire type of every known field,
 * indexed by field number, and its proto name for error messages. A known field that
 * arrives with another wire type is rejected; unknown fields are skipped (proto3 rule).
 */
import { protoError } from './errors.ts';
import type { ProtoReader } from './proto-reader.ts';
import { I32, I64, LEN, VARINT, wireTypeProblem } from './proto-reader.ts';

export interface MessageFields {
  readonly message: string;
  /** Expected wire type per field number; -1 where the number is not a field. */
  readonly wires: readonly number[];
  readonly names: readonly string[];
}

function fields(message: string, list: [number, string, number][]): MessageFields {
  const size = Math.max(...list.map(([n]) => n)) + 1;
  const wires = new Array<number>(size).fill(-1);
  const names = new Array<string>(size).fill('');
  for (const [n, name, wire] of list) {
    wires[n] = wire;
    names[n] = name;
  }
  return { message, wires, names };
}

/**
 * Handles a tag that the decoder's switch did not take: a known field number means the
 * wire type was wrong, anything else is skipped.
 */
export function skipOther(r: ProtoReader, tag: number, limit: number, at: number, f: MessageFields): void {
  const n = tag >>> 3;
  if (n < f.wires.length && f.wires[n] >= 0) {
    throw protoError(wireTypeProblem(`${f.message}.${f.names[n]}`, tag, f.wires[n]), at);
  }
  r.skip(tag, limit, at);
}

export const REQUEST = fields('ExportTraceServiceRequest', [[1, 'resource_spans', LEN]]);
export const RESOURCE_SPANS = fields('ResourceSpans', [
  [1, 'resource', LEN],
  [2, 'scope_spans', LEN],
  [3, 'schema_url', LEN],
]);
export const RESOURCE = fields('Resource', [
  [1, 'attributes', LEN],
  [2, 'dropped_attributes_count', VARINT],
]);
export const SCOPE_SPANS = fields('ScopeSpans', [
  [1, 'scope', LEN],
  [2, 'spans', LEN],
  [3, 'schema_url', LEN],
]);
export const SCOPE = fields('InstrumentationScope', [
  [1, 'name', LEN],
  [2, 'version', LEN],
  [3, 'attributes', LEN],
  [4, 'dropped_attributes_count', VARINT],
]);
export const SPAN = fields('Span', [
  [1, 'trace_id', LEN],
  [2, 'span_id', LEN],
  [3, 'trace_state', LEN],
  [4, 'parent_span_id', LEN],
  [5, 'name', LEN],
  [6, 'kind', VARINT],
  [7, 'start_time_unix_nano', I64],
  [8, 'end_time_unix_nano', I64],
  [9, 'attributes', LEN],
  [10, 'dropped_attributes_count', VARINT],
  [11, 'events', LEN],
  [12, 'dropped_events_count', VARINT],
  [13, 'links', LEN],
  [14, 'dropped_links_count', VARINT],
  [15, 'status', LEN],
  [16, 'flags', I32],
]);
export const EVENT = fields('Span.Event', [
  [1, 'time_unix_nano', I64],
  [2, 'name', LEN],
  [3, 'attributes', LEN],
  [4, 'dropped_attributes_count', VARINT],
]);
export const LINK = fields('Span.Link', [
  [1, 'trace_id', LEN],
  [2, 'span_id', LEN],
  [3, 'trace_state', LEN],
  [4, 'attributes', LEN],
  [5, 'dropped_attributes_count', VARINT],
  [6, 'flags', I32],
]);
export const STATUS = fields('Status', [
  [2, 'message', LEN],
  [3, 'code', VARINT],
]);
export const KEY_VALUE = fields('KeyValue', [
  [1, 'key', LEN],
  [2, 'value', LEN],
]);
export const ANY_VALUE = fields('AnyValue', [
  [1, 'string_value', LEN],
  [2, 'bool_value', VARINT],
  [3, 'int_value', VARINT],
  [4, 'double_value', I64],
  [5, 'array_value', LEN],
  [6, 'kvlist_value', LEN],
  [7, 'bytes_value', LEN],
]);
export const ARRAY_VALUE = fields('ArrayValue', [[1, 'values', LEN]]);
export const KEY_VALUE_LIST = fields('KeyValueList', [[1, 'values', LEN]]);
