/** zod fields shared by the sampling processors' configs, with messages that name their key. */
import { z } from 'zod';

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
