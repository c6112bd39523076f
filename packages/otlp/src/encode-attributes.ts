/** KeyValue / AnyValue encoding. */
import type { Attributes, AttributeValue } from '@genba/model';
import type { ProtoWriter } from './proto-writer.ts';
import { MAX_DEPTH } from './set-attribute.ts';

/** Writes `attrs` as repeated KeyValue under the one-byte `tag`; most KeyValues fit a one-byte length. */
export function writeAttributes(w: ProtoWriter, tag: number, attrs: Attributes, depth: number): void {
  for (const key in attrs) {
    const kv = w.begin(tag, 1);
    if (key !== '') w.key(10, key);
    const value = w.begin(18, 1);
    writeAnyValue(w, attrs[key], depth + 1);
    w.end(value, 1);
    w.end(kv, 1);
  }
}

/** The body of an AnyValue: exactly one member of the oneof, or none for the empty value. */
function writeAnyValue(w: ProtoWriter, v: AttributeValue, depth: number): void {
  // Also stops a value that contains itself.
  if (depth > MAX_DEPTH) throw new RangeError(`attribute value nested deeper than ${MAX_DEPTH}`);
  switch (typeof v) {
    case 'string':
      w.string(10, v);
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
    case 'object': {
      if (v === null) return;
      if (v instanceof Uint8Array) {
        w.bytes(58, v);
        return;
      }
      if (Array.isArray(v)) {
        const array = w.begin(42, 1);
        for (let i = 0; i < v.length; i++) {
          const item = w.begin(10, 1);
          writeAnyValue(w, v[i], depth + 1);
          w.end(item, 1);
        }
        w.end(array, 1);
        return;
      }
      const list = w.begin(50, 1);
      writeAttributes(w, 10, v.kvlist, depth);
      w.end(list, 1);
    }
  }
  // Anything else (undefined and the like) travels as the empty value.
}
