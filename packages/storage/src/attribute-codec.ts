/**
 * Attributes are stored as two maps (or Nested columns): key → text (what tag search compares, the way Jaeger
 * compares tag values) and key → type code for the values that are not strings, so every
 * value comes back with its OTLP type. Arrays and maps keep their element types in their text.
 */
import type { Attributes, AttributeValue } from '@genba/model';
import { attributeType } from '@genba/model';
import type { RowBinaryWriter } from './row-binary-writer.ts';

const CODE = { string: 0, bool: 1, int: 2, double: 3, bytes: 4, array: 5, kvlist: 6, empty: 7 } as const;
type Code = (typeof CODE)[keyof typeof CODE];

/**
 * Writes attributes straight into RowBinary as four arrays: keys, their texts, then the keys and
 * type codes of the values that are not strings (the modern form zips them into maps).
 */
export function writeAttributeArrays(w: RowBinaryWriter, attrs: Attributes): void {
  const keys = Object.keys(attrs);
  w.varint(keys.length);
  for (const key of keys) w.string(key);
  w.varint(keys.length);
  let typed = 0;
  for (const key of keys) {
    const v = attrs[key];
    if (typeof v === 'string') w.string(v);
    else {
      typed++;
      w.string(valueText(v, CODE[attributeType(v)]));
    }
  }
  for (let pass = 0; pass < 2; pass++) {
    w.varint(typed);
    if (typed === 0) continue;
    for (const key of keys) {
      const v = attrs[key];
      if (typeof v === 'string') continue;
      if (pass === 0) w.string(key);
      else w.uint8(CODE[attributeType(v)]);
    }
  }
}

export function joinAttributes(
  keys: readonly string[],
  values: readonly string[],
  typeKeys: readonly string[],
  types: readonly number[],
): Attributes {
  const codes = new Map<string, number>();
  for (let i = 0; i < typeKeys.length; i++) codes.set(typeKeys[i], Number(types[i]));
  const out: Attributes = {};
  for (let i = 0; i < keys.length; i++)
    out[keys[i]] = parseValue(values[i], (codes.get(keys[i]) ?? 0) as Code);
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
