/** Collector duration strings in configs ('500ms', '10s', '1m30s'): one check and one conversion. */
import { GenbaError, parseDuration } from '@genba/model';
import { z } from 'zod';

/** Any duration; the key is named by the path. */
export const durationString = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, { message: 'expected a duration such as 500ms, 5s or 1m' });

/** A duration field with its default, whose message names the key; `positive` refuses '0s'. */
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

/** Milliseconds of a duration string (one a schema has accepted). */
export function durationMs(text: string): number {
  const ns = parseDuration(text);
  if (ns === undefined) throw new GenbaError('bad_request', `invalid duration "${text}"`);
  return Number(ns) / 1e6;
}
