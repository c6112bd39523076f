/** OTLP/JSON KeyValue / AnyValue → the model's typed attribute values. */
import type { Attributes, AttributeValue } from '@genba/model';
import { decodeBase64 } from './base64.ts';
import type { JsonObject, JsonPath } from './json-path.ts';
import { arrayField, asObject, field } from './json-path.ts';
import { jsonBool, jsonDouble, jsonInt64, jsonString } from './json-values.ts';
import { MAX_DEPTH, setAttribute } from './set-attribute.ts';

/** Reads the repeated KeyValue field `name` of `o` into `attrs`. */
export function jsonAttributes(
  o: JsonObject,
  name: string,
  snake: string,
  attrs: Attributes,
  p: JsonPath,
): void {
  const list = arrayField(o, name, snake, p);
  if (list.length === 0) return;
  p.enter(name);
  readKeyValues(list, attrs, p, 0);
  p.leave();
}

function readKeyValues(list: readonly unknown[], attrs: Attributes, p: JsonPath, depth: number): void {
  for (let i = 0; i < list.length; i++) {
    p.enter(i);
    const kv = asObject(list[i], p, 'KeyValue');
    const key = jsonString(kv.key, p, 'key');
    const v = kv.value;
    let value: AttributeValue = null;
    if (v !== undefined && v !== null) {
      p.enter('value');
      value = readAnyValue(v, p, depth + 1);
      p.leave();
    }
    setAttribute(attrs, key, value);
    p.leave();
  }
}

const MEMBERS: readonly (readonly [string, string])[] = [
  ['stringValue', 'string_value'],
  ['boolValue', 'bool_value'],
  ['intValue', 'int_value'],
  ['doubleValue', 'double_value'],
  ['arrayValue', 'array_value'],
  ['kvlistValue', 'kvlist_value'],
  ['bytesValue', 'bytes_value'],
];

/** One AnyValue object: `{}` is the empty value (null); two members set at once is an error. */
function readAnyValue(v: unknown, p: JsonPath, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw p.error(`AnyValue nested deeper than ${MAX_DEPTH}`);
  const o = asObject(v, p, 'AnyValue');
  let found = -1;
  let raw: unknown;
  for (let i = 0; i < MEMBERS.length; i++) {
    const x = field(o, MEMBERS[i][0], MEMBERS[i][1]);
    if (x === undefined || x === null) continue;
    if (found >= 0) throw p.error(`AnyValue sets both ${MEMBERS[found][0]} and ${MEMBERS[i][0]}`);
    found = i;
    raw = x;
  }
  switch (found) {
    case 0:
      return jsonString(raw, p, 'stringValue');
    case 1:
      return jsonBool(raw, p, 'boolValue');
    case 2:
      return jsonInt64(raw, p, 'intValue');
    case 3:
      return jsonDouble(raw, p, 'doubleValue');
    case 4:
      return readArray(asObject(raw, p, 'arrayValue'), p, depth);
    case 5:
      return { kvlist: readKvlist(asObject(raw, p, 'kvlistValue'), p, depth) };
    case 6: {
      const bytes = typeof raw === 'string' ? decodeBase64(raw) : undefined;
      if (bytes === undefined) throw p.error('bytesValue must be base64', 'bytesValue');
      return bytes;
    }
    default:
      return null;
  }
}

function readArray(o: JsonObject, p: JsonPath, depth: number): AttributeValue[] {
  p.enter('arrayValue');
  const list = arrayField(o, 'values', 'values', p);
  const out: AttributeValue[] = new Array(list.length);
  p.enter('values');
  for (let i = 0; i < list.length; i++) {
    p.enter(i);
    out[i] = list[i] === null ? null : readAnyValue(list[i], p, depth + 1);
    p.leave();
  }
  p.leave();
  p.leave();
  return out;
}

function readKvlist(o: JsonObject, p: JsonPath, depth: number): Attributes {
  p.enter('kvlistValue');
  const list = arrayField(o, 'values', 'values', p);
  const out: Attributes = {};
  p.enter('values');
  readKeyValues(list, out, p, depth);
  p.leave();
  p.leave();
  return out;
}
