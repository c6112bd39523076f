import { OtlpDecodeError } from './errors.ts';

/**
 * Where the JSON decoder is, kept as a stack of segments and only turned into text
 * ('$.resourceSpans[0].scopeSpans[1].spans[2].traceId') when an error needs it.
 */
export class JsonPath {
  readonly #segs: (string | number)[] = [];

  enter(seg: string | number): void {
    this.#segs.push(seg);
  }

  leave(): void {
    this.#segs.pop();
  }

  /** An error about the current place, or about its field `field` when given. */
  error(problem: string, field?: string): OtlpDecodeError {
    let where = '$';
    for (const s of this.#segs) where += typeof s === 'number' ? `[${s}]` : `.${s}`;
    if (field !== undefined) where += `.${field}`;
    return new OtlpDecodeError(problem, where);
  }
}

export type JsonObject = Record<string, unknown>;

/** A message field: an object, or undefined when absent or null (null means default in proto JSON). */
export function objectField(
  o: JsonObject,
  camel: string,
  snake: string,
  p: JsonPath,
): JsonObject | undefined {
  const v = field(o, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw p.error(`${camel} must be an object`, camel);
  return v as JsonObject;
}

/** A repeated field: an array, or an empty one when absent or null. */
export function arrayField(o: JsonObject, camel: string, snake: string, p: JsonPath): readonly unknown[] {
  const v = field(o, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw p.error(`${camel} must be an array`, camel);
  return v;
}

/** Receivers accept both the lowerCamelCase JSON name and the proto field name. */
export function field(o: JsonObject, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

/** An element of a repeated message field, checked to be an object. */
export function asObject(v: unknown, p: JsonPath, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw p.error(`${what} must be an object`);
  return v as JsonObject;
}
