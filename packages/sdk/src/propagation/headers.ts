/**
 * Reading header values out of a carrier, and the small lexical rules the W3C and B3 formats
 * share. Getters may return one string, an array (a repeated header), or nothing at all.
 */
import type { TextMapGetter } from '@opentelemetry/api';

/** Every value of `key` in the carrier, in order; non-string values are dropped. */
export function headerValues(getter: TextMapGetter, carrier: unknown, key: string): string[] {
  const value = getter.get(carrier, key);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The first value of `key`: for formats where a repeated header means "first one wins". */
export function firstHeaderValue(getter: TextMapGetter, carrier: unknown, key: string): string | undefined {
  return headerValues(getter, carrier, key)[0];
}

/**
 * Repeated list-valued headers (tracestate, baggage) combine into one value joined with ','
 * as RFC 9110 field order prescribes; undefined when the header is absent.
 */
export function combinedHeaderValue(
  getter: TextMapGetter,
  carrier: unknown,
  key: string,
): string | undefined {
  const values = headerValues(getter, carrier, key);
  return values.length === 0 ? undefined : values.join(',');
}

const LEADING_OWS = /^[ \t]+/;
const TRAILING_OWS = /[ \t]+$/;

/** Strips RFC 9110 optional whitespace (spaces and tabs only; other whitespace is data). */
export function trimOws(text: string): string {
  return text.replace(LEADING_OWS, '').replace(TRAILING_OWS, '');
}
