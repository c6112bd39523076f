/** zod fields shared by the sampling processors' configs, with messages that name their key. */
import { parseDuration } from '@genba/model';
import { z } from 'zod';

/** A duration string such as '500ms' or '10s'; `positive` refuses '0s'. */
export function durationField(key: string, fallback: string, positive = false) {
  return z
    .string()
    .refine(
      (s) => {
        const ns = parseDuration(s);
        return ns !== undefined && (!positive || ns > 0n);
      },
      `expected ${positive ? 'a positive' : 'a'} duration for ${key}, such as 500ms or 10s`,
    )
    .default(fallback);
}

/** Milliseconds of a duration string the schema has already accepted. */
export function durationMs(text: string): number {
  return Number(parseDuration(text) ?? 0n) / 1e6;
}

export function percentageField(key: string) {
  return z
    .number()
    .refine((n) => Number.isFinite(n) && n >= 0 && n <= 100, `${key} must be between 0 and 100`);
}

export function probabilityField(key: string, fallback: number) {
  return z
    .number()
    .refine((n) => Number.isFinite(n) && n >= 0 && n <= 1, `${key} must be between 0 and 1`)
    .default(fallback);
}
