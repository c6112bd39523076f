/**
 * Option checks for the helpers. A bad option is a tracing-layer misuse, so it is reported once
 * and replaced by the default instead of throwing into the caller.
 */
import { reportOnce } from '../diag.ts';

/** `value` if it is a number satisfying `ok`, else `fallback` (reported once unless undefined). */
export function numberOption(
  value: unknown,
  fallback: number,
  key: string,
  ok: (n: number) => boolean,
  rule: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && ok(value)) return value;
  const shown = typeof value === 'number' ? String(value) : typeof value;
  reportOnce(`option.${key}`, `option ${key} must be ${rule}, got ${shown}; using ${fallback}`);
  return fallback;
}

export const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n >= 1;
export const isNonNegative = (n: number): boolean => n >= 0;
