/**
 * A tail-sampling policy looks at a whole held trace and votes. The votes and how they combine
 * follow the OTel Collector: `inverted_*` come from `invert_match` on the attribute policies
 * (deprecated there, kept for compatibility), `dropped` from a `drop` policy.
 */
import type { Span } from '@genba/model';

export type Decision = 'sampled' | 'not_sampled' | 'inverted_sampled' | 'inverted_not_sampled' | 'dropped';

export interface TraceData {
  readonly traceId: string;
  readonly spans: readonly Span[];
}

export interface Evaluator {
  /** `now` is the processor's clock, in milliseconds, for the rate-limited policies. */
  evaluate(trace: TraceData, now: number): Decision;
}

/** Inside `and`, `drop` and `composite` an inverted vote counts as a plain one, as in the Collector. */
export function plain(d: Decision): 'sampled' | 'not_sampled' | 'dropped' {
  if (d === 'inverted_sampled') return 'sampled';
  if (d === 'inverted_not_sampled') return 'not_sampled';
  return d;
}

/**
 * The final decision from every policy's vote: a drop or an inverted not-sample wins over
 * everything; then any sample; then an inverted sample when no policy said not-sample.
 */
export function combineVotes(votes: readonly Decision[]): boolean {
  if (votes.includes('dropped') || votes.includes('inverted_not_sampled')) return false;
  if (votes.includes('sampled')) return true;
  return votes.includes('inverted_sampled') && !votes.includes('not_sampled');
}
