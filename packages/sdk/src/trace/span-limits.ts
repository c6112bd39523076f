/**
 * Span limits per the OTel spec's environment variables. Span-specific variables win over
 * the general attribute ones; invalid values are reported once and ignored.
 */
import { reportOnce } from '../diag.ts';

export interface SpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    reportOnce(`env:${name}`, `ignoring ${name}=${JSON.stringify(raw)}: not a non-negative integer`);
    return undefined;
  }
  return n;
}

export function spanLimitsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  given: Partial<SpanLimits> = {},
): SpanLimits {
  const count = envInt(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT') ?? 128;
  const length = envInt(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? Number.POSITIVE_INFINITY;
  return {
    attributeCountLimit: given.attributeCountLimit ?? envInt(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? count,
    attributeValueLengthLimit:
      given.attributeValueLengthLimit ?? envInt(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? length,
    eventCountLimit: given.eventCountLimit ?? envInt(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT') ?? 128,
    linkCountLimit: given.linkCountLimit ?? envInt(env, 'OTEL_SPAN_LINK_COUNT_LIMIT') ?? 128,
    attributePerEventCountLimit:
      given.attributePerEventCountLimit ?? envInt(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT') ?? count,
    attributePerLinkCountLimit:
      given.attributePerLinkCountLimit ?? envInt(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT') ?? count,
  };
}
