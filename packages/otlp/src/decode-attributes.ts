/** Protobuf KeyValue / AnyValue decoding, straight into the model's typed values. */
import type { Attributes, AttributeValue } from '@genba/model';
import { protoError } from './errors.ts';
import { ANY_VALUE, ARRAY_VALUE, KEY_VALUE, KEY_VALUE_LIST, skipOther } from './fields.ts';
import type { ProtoReader } from './proto-reader.ts';
import { MAX_DEPTH, setAttribute } from './set-attribute.ts';

/** Reads one length-prefixed KeyValue into `attrs`. */
export function readKeyValue(r: ProtoReader, limit: number, attrs: Attributes, depth: number): void {
  const end = r.lenEnd(limit);
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) key = r.key(end);
    else if (tag === 18) value = readAnyValue(r, end, depth + 1);
    else skipOther(r, tag, end, at, KEY_VALUE);
  }
  r.finish(end, 'KeyValue');
  setAttribute(attrs, key, value);
}

/** Reads one length-prefixed AnyValue; an empty one is null. The last member of the oneof wins. */
export function readAnyValue(r: ProtoReader, limit: number, depth: number): AttributeValue {
  const lenAt = r.pos;
  const end = r.lenEnd(limit);
  if (depth > MAX_DEPTH) throw protoError(`AnyValue nested deeper than ${MAX_DEPTH}`, lenAt);
  let value: AttributeValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    switch (tag) {
      case 10:
        value = r.text(end);
        break;
      case 16:
        value = r.varint64() !== 0n;
        break;
      case 24:
        value = r.varint64();
        break;
      case 33:
        value = r.double(end);
        break;
      case 42:
        value = readArray(r, end, depth);
        break;
      case 50:
        value = { kvlist: readKeyValueList(r, end, depth) };
        break;
      case 58:
        value = r.bytes(end);
        break;
      default:
        skipOther(r, tag, end, at, ANY_VALUE);
    }
  }
  r.finish(end, 'AnyValue');
  return value;
}

function readArray(r: ProtoReader, limit: number, depth: number): AttributeValue[] {
  const end = r.lenEnd(limit);
  const out: AttributeValue[] = [];
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) out.push(readAnyValue(r, end, depth + 1));
    else skipOther(r, tag, end, at, ARRAY_VALUE);
  }
  r.finish(end, 'ArrayValue');
  return out;
}

function readKeyValueList(r: ProtoReader, limit: number, depth: number): Attributes {
  const end = r.lenEnd(limit);
  const out: Attributes = {};
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === 10) readKeyValue(r, end, out, depth);
    else skipOther(r, tag, end, at, KEY_VALUE_LIST);
  }
  r.finish(end, 'KeyValueList');
  return out;
}
