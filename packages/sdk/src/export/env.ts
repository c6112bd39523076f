/**
 * Reading configuration from the environment. A bad value is reported once and ignored,
 * never thrown: a typo in a deployment's env must not take the application down.
 */
import { reportOnce } from '../diag.ts';

/** The variable's value, or undefined when unset or blank. */
export function envString(name: string): string | undefined {
  const v = process.env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** A whole number ≥ `min` from the environment, else `fallback` (a bad value is reported once). */
export function envInt(name: string, fallback: number, min = 0): number {
  const raw = envString(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    reportOnce(`env:${name}`, `ignoring ${name}=${JSON.stringify(raw)}: expected a whole number >= ${min}`);
    return fallback;
  }
  return n;
}

/**
 * An explicitly passed option, checked like an env value: undefined → `fallback`,
 * a bad number → reported once and `fallback`.
 */
export function optionInt(what: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    reportOnce(`option:${what}`, `ignoring ${what}=${String(value)}: expected a whole number >= ${min}`);
    return fallback;
  }
  return value;
}
