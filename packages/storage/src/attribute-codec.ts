/**
 * Attributes are stored as two maps: key → text (what tag search compares, the way Jaeger
 * compares tag values) and key → type code for the values that are not strings, so every
 * value comes back with its OTLP type. Arrays and maps keep their element types in their text.
 */
import type { Attributes, AttributeValue } from '@genba/model';
import { attributeType } from '@genba/model';
import type { RowBinaryWriter } from './row-binary-writer.ts';

const CODE = { string: 0, bool: 1, int: 2, double: 3, bytes: 4, array: 5, kvlist: 6, empty: 7 } as const;
type Code = (typeof CODE)[keyof typeof CODE];

/**
 * Writes attributes as the two map columns, straight into RowBinary: `Map(String, String)` of
 * texts, then `Map(String, UInt8)` of the type codes of the values that are not strings.
 */
export function writeAttributeMaps(w: RowBinaryWriter, attrs: Attributes): void {
  const keys = Object.keys(attrs);
  w.varint(keys.length);
  let typed = 0;
  for (const key of keys) {
    const v = attrs[key];
    w.string(key);
    if (typeof v === 'string') w.string(v);
    else {
      typed++;
      w.string(valueText(v, CODE[attributeType(v)]));
    }
  }
  w.varint(typed);
  if (typed === 0) return;
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === 'string') continue;
    w.string(key);
    w.uint8(CODE[attributeType(v)]);
  }
}

export function joinAttributes(values: Record<string, string>, types: Record<string, number>): Attributes {
  const out: Attributes = {};
  for (const key in values) out[key] = parseValue(values[key], (types[key] ?? 0) as Code);
  return out;
}

/** A compact typed encoding for attribute sets that are stored but not searched (events, links). */
export function packAttributes(attrs: Attributes): [string, number, string][] {
  const out: [string, number, string][] = [];
  for (const key in attrs) {
    const v = attrs[key];
    const code = CODE[attributeType(v)];
    out.push([key, code, valueText(v, code)]);
  }
  return out;
}

export function unpackAttributes(packed: [string, number, string][]): Attributes {
  const out: Attributes = {};
  for (const [key, code, text] of packed) out[key] = parseValue(text, code as Code);
  return out;
}

function valueText(v: AttributeValue, code: Code): string {
  switch (code) {
    case CODE.string:
      return v as string;
    case CODE.bytes:
      return Buffer.from(v as Uint8Array).toString('base64');
    case CODE.array:
      return JSON.stringify((v as AttributeValue[]).map(element));
    case CODE.kvlist:
      return JSON.stringify(packAttributes((v as { kvlist: Attributes }).kvlist));
    case CODE.empty:
      return '';
    default:
      return String(v);
  }
}

function element(v: AttributeValue): [number, string] {
  const code = CODE[attributeType(v)];
  return [code, valueText(v, code)];
}

function parseValue(text: string, code: Code): AttributeValue {
  switch (code) {
    case CODE.string:
      return text;
    case CODE.bool:
      return text === 'true';
    case CODE.int:
      return BigInt(text);
    case CODE.double:
      return Number(text);
    case CODE.bytes:
      return new Uint8Array(Buffer.from(text, 'base64'));
    case CODE.array:
      return (JSON.parse(text) as [number, string][]).map(([c, t]) => parseValue(t, c as Code));
    case CODE.kvlist:
      return { kvlist: unpackAttributes(JSON.parse(text)) };
    default:
      return null;
  }
}
