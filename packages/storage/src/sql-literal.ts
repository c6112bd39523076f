/**
 * The one audited place where values become SQL text, for engines without bound parameters
 * (ClickHouse 18.16 over HTTP). It replaces each `{name:Type}` placeholder with a literal of that
 * type, and refuses any type it does not know, any missing value, and any value of the wrong shape.
 */
import { StorageError } from './errors.ts';
import type { QueryParams } from './transport.ts';

type Value = QueryParams[string];

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z0-9_()]+)\}/g;
const INTEGER_TYPES = new Set(['Int64', 'Int32', 'UInt64', 'UInt32', 'UInt16', 'UInt8']);

/** A ClickHouse string literal: quotes and backslashes escaped, control bytes as \xNN. */
export function stringLiteral(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this escapes
  return `'${s.replace(/[\\'\u0000-\u001f\u007f]/g, (c) => (c === '\\' || c === "'" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
}

/** An identifier Genba accepts from configuration (database, cluster): plain ASCII words only. */
export function identifier(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name))
    throw new StorageError(`invalid ${what} "${name}": use letters, digits and _ only`, 'invalid');
  return name;
}

function integerLiteral(v: Value, name: string): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new StorageError(`parameter ${name} must be an integer`, 'invalid');
}

function literal(v: Value, type: string, name: string): string {
  if (type === 'String') {
    if (typeof v !== 'string') throw new StorageError(`parameter ${name} must be a string`, 'invalid');
    return stringLiteral(v);
  }
  if (INTEGER_TYPES.has(type)) {
    const text = integerLiteral(v, name);
    if (type.startsWith('U') && text.startsWith('-'))
      throw new StorageError(`parameter ${name} must not be negative`, 'invalid');
    return text;
  }
  if (type === 'Array(String)') {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw new StorageError(`parameter ${name} must be a list of strings`, 'invalid');
    // An empty literal array has type Array(Nothing); cast so `IN`/`has` still type-check.
    return v.length === 0 ? 'CAST([] AS Array(String))' : `[${v.map(stringLiteral).join(',')}]`;
  }
  throw new StorageError(`parameter ${name} has unsupported type ${type}`, 'internal');
}

/** SQL text with every placeholder replaced by an escaped literal. */
export function bindLiterals(sql: string, params: QueryParams = {}): string {
  return sql.replace(PLACEHOLDER, (_m, name: string, type: string) => {
    if (!Object.hasOwn(params, name)) throw new StorageError(`parameter ${name} is missing`, 'internal');
    return literal(params[name], type, name);
  });
}
