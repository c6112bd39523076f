/**
 * Attribute values keep their OTLP type through the JS type of the value:
 * string → string, int → bigint, double → number, bool → boolean, bytes → Uint8Array,
 * array → AttributeValue[], key-value list → KeyValueList. So an int 3 and a double 3.0
 * stay distinct all the way to storage and back.
 */
export type AttributeValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | AttributeValue[]
  | KeyValueList
  | null;

/** OTLP `KvlistValue`: a nested map. `null` stands for an empty `AnyValue`. */
export interface KeyValueList {
  readonly kvlist: Attributes;
}

export type Attributes = Record<string, AttributeValue>;

export type AttributeType = 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'array' | 'kvlist' | 'empty';

export function attributeType(v: AttributeValue): AttributeType {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
  }
  if (v === null) return 'empty';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return 'kvlist';
}

export function isKeyValueList(v: AttributeValue): v is KeyValueList {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
