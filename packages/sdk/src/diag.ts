/**
 * Misuse and export trouble are reported through OTel's diagnostic logger, once per kind,
 * so a hot loop that misuses the API cannot flood the log. Nothing here throws.
 */
import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/** Logs `message` as a warning the first time `key` is seen; later calls are silent. */
export function reportOnce(key: string, message: string, ...args: unknown[]): void {
  if (reported.has(key)) return;
  reported.add(key);
  diag.warn(`@genba/sdk: ${message}`, ...args);
}

/** Runs `fn`, logging (once per key) instead of throwing. For callbacks into user code. */
export function guard<T>(key: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    reportOnce(key, `${key} threw`, err);
    return undefined;
  }
}
