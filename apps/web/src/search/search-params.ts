// The search form's state, kept in the URL (/search?service=…) and turned into an /api/traces query.
import type { TraceQuery } from '../api/jaeger-client.ts';
import { durationParam, parseDuration } from '../format/duration.ts';
import { parseLogfmtTags, tagsFromUrlParam, tagsParam } from './tags.ts';

export type Lookback = { value: string; label: string; us: number };

const MIN = 60_000_000;
export const LOOKBACKS: readonly Lookback[] = [
  { value: '5m', label: 'Last 5 minutes', us: 5 * MIN },
  { value: '15m', label: 'Last 15 minutes', us: 15 * MIN },
  { value: '1h', label: 'Last hour', us: 60 * MIN },
  { value: '2h', label: 'Last 2 hours', us: 120 * MIN },
  { value: '6h', label: 'Last 6 hours', us: 360 * MIN },
  { value: '12h', label: 'Last 12 hours', us: 720 * MIN },
  { value: '24h', label: 'Last 24 hours', us: 1440 * MIN },
  { value: '2d', label: 'Last 2 days', us: 2880 * MIN },
  { value: '7d', label: 'Last 7 days', us: 10080 * MIN },
];

export const DEFAULT_LOOKBACK = '1h';
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1500;

export type SearchForm = {
  service: string;
  /** '' means all operations */
  operation: string;
  /** logfmt text */
  tags: string;
  lookback: string;
  minDuration: string;
  maxDuration: string;
  limit: string;
};

export function emptyForm(): SearchForm {
  return {
    service: '',
    operation: '',
    tags: '',
    lookback: DEFAULT_LOOKBACK,
    minDuration: '',
    maxDuration: '',
    limit: String(DEFAULT_LIMIT),
  };
}

export function lookbackUs(value: string): number {
  return (LOOKBACKS.find((l) => l.value === value) ?? LOOKBACKS[2]).us;
}

/** Reads the form from a location.search string ("?service=a&…"). */
export function formFromUrl(search: string): SearchForm {
  const p = new URLSearchParams(search);
  const form = emptyForm();
  form.service = p.get('service') ?? '';
  const op = p.get('operation') ?? '';
  form.operation = op === 'all' ? '' : op;
  form.tags = tagsFromUrlParam(p.get('tags'));
  const lb = p.get('lookback');
  if (lb && LOOKBACKS.some((l) => l.value === lb)) form.lookback = lb;
  form.minDuration = p.get('minDuration') ?? '';
  form.maxDuration = p.get('maxDuration') ?? '';
  form.limit = p.get('limit') ?? String(DEFAULT_LIMIT);
  return form;
}

/** The page URL for a form: /search?service=…, leaving out what is empty or default. */
export function formToUrl(form: SearchForm): string {
  const p = new URLSearchParams();
  if (form.service) p.set('service', form.service);
  if (form.operation) p.set('operation', form.operation);
  if (form.tags.trim()) p.set('tags', form.tags.trim());
  p.set('lookback', form.lookback);
  if (form.minDuration.trim()) p.set('minDuration', form.minDuration.trim());
  if (form.maxDuration.trim()) p.set('maxDuration', form.maxDuration.trim());
  p.set('limit', form.limit.trim() || String(DEFAULT_LIMIT));
  return `/search?${p.toString()}`;
}

export type FormErrors = Partial<Record<keyof SearchForm, string>>;

export function validateForm(form: SearchForm): FormErrors {
  const errors: FormErrors = {};
  if (!form.service) errors.service = 'choose a service';
  const tags = parseLogfmtTags(form.tags);
  if (!tags.ok) errors.tags = tags.error;
  const min = form.minDuration.trim() ? parseDuration(form.minDuration) : null;
  const max = form.maxDuration.trim() ? parseDuration(form.maxDuration) : null;
  if (form.minDuration.trim() && min === null) errors.minDuration = 'use a duration such as 100ms or 1.2s';
  if (form.maxDuration.trim() && max === null) errors.maxDuration = 'use a duration such as 100ms or 1.2s';
  if (min !== null && max !== null && min > max) errors.maxDuration = 'must not be less than the minimum';
  const limit = form.limit.trim();
  if (limit && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)) {
    errors.limit = `a whole number from 1 to ${MAX_LIMIT}`;
  }
  return errors;
}

/** The /api/traces query for a valid form, over the lookback window ending at nowMs. */
export function formToQuery(form: SearchForm, nowMs: number): TraceQuery {
  const end = Math.floor(nowMs * 1000);
  return {
    service: form.service,
    operation: form.operation || undefined,
    tags: tagsParam(form.tags),
    minDuration: durationParam(form.minDuration),
    maxDuration: durationParam(form.maxDuration),
    lookback: form.lookback,
    start: end - lookbackUs(form.lookback),
    end,
    limit: Number(form.limit.trim() || DEFAULT_LIMIT),
  };
}
