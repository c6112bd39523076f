/**
 * KeyValue / AnyValue encoding, in the two passes of proto-writer.ts. Each size function
 * reserves its slots in exactly the order its write function consumes them.
 */
import type { Attributes, AttributeValue, KeyValueList } from '@genba/model';
import type { ProtoWriter, SizeTable } from './proto-writer.ts';
import { int64Size, messageSize, stringSize } from './proto-writer.ts';
import { MAX_DEPTH } from './set-attribute.ts';

/** Size of `attrs` as repeated KeyValue under a one-byte tag. */
export function attributesSize(t: SizeTable, attrs: Attributes, depth: number): number {
  let total = 0;
  for (const key in attrs) {
    const slot = t.reserve();
    let body = key === '' ? 0 : 1 + stringSize(t, key);
    const valueSlot = t.reserve();
    const value = anyValueSize(t, attrs[key], depth + 1);
    t.a[valueSlot] = value;
    body += 1 + messageSize(value);
    t.a[slot] = body;
    total += 1 + messageSize(body);
  }
  return total;
}

export function writeAttributes(w: ProtoWriter, tag: number, attrs: Attributes): void {
  for (const key in attrs) {
    w.message(tag);
    if (key !== '') {
      w.buf[w.pos++] = 10;
      w.string(key);
    }
    w.message(18);
    writeAnyValue(w, attrs[key]);
  }
}

function anyValueSize(t: SizeTable, v: AttributeValue, depth: number): number {
  // Also stops a value that contains itself.
  if (depth > MAX_DEPTH) throw new RangeError(`attribute value nested deeper than ${MAX_DEPTH}`);
  switch (typeof v) {
    case 'string':
      return 1 + stringSize(t, v);
    case 'boolean':
      return 2;
    case 'number':
      return 9;
    case 'bigint':
      return 1 + int64Size(v);
    case 'object':
      if (v === null) return 0;
      if (v instanceof Uint8Array) return 1 + messageSize(v.length);
      return 1 + messageSize(Array.isArray(v) ? arraySize(t, v, depth) : kvlistSize(t, v, depth));
    default:
      return 0; // undefined and the like travel as an empty value
  }
}

function arraySize(t: SizeTable, values: AttributeValue[], depth: number): number {
  const slot = t.reserve();
  let body = 0;
  for (let i = 0; i < values.length; i++) {
    const itemSlot = t.reserve();
    const item = anyValueSize(t, values[i], depth + 1);
    t.a[itemSlot] = item;
    body += 1 + messageSize(item);
  }
  t.a[slot] = body;
  return body;
}

function kvlistSize(t: SizeTable, v: KeyValueList, depth: number): number {
  const slot = t.reserve();
  const body = attributesSize(t, v.kvlist, depth);
  t.a[slot] = body;
  return body;
}

function writeAnyValue(w: ProtoWriter, v: AttributeValue): void {
  switch (typeof v) {
    case 'string':
      w.buf[w.pos++] = 10;
      w.string(v);
      return;
    case 'boolean':
      w.buf[w.pos++] = 16;
      w.buf[w.pos++] = v ? 1 : 0;
      return;
    case 'number':
      w.buf[w.pos++] = 33;
      w.double(v);
      return;
    case 'bigint':
      w.buf[w.pos++] = 24;
      w.int64(v);
      return;
    case 'object':
      if (v === null) return;
      if (v instanceof Uint8Array) {
        w.buf[w.pos++] = 58;
        w.bytes(v);
      } else if (Array.isArray(v)) {
        w.message(42);
        for (let i = 0; i < v.length; i++) {
          w.message(10);
          writeAnyValue(w, v[i]);
        }
      } else {
        w.message(50);
        writeAttributes(w, 10, v.kvlist);
      }
  }
}
