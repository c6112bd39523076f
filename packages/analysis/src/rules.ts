/**
 * Classification rules: each critical-path section gets the category of the first rule whose
 * conditions all hold for its span. Rules are data, so a config file can prepend its own.
 */
import type { Category } from './categories.ts';

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';

export interface RuleCondition {
  /** The span or one of its ancestors has status ERROR. */
  error?: boolean;
  /** The span is a failed attempt that a later sibling with the same name retried. */
  retried?: boolean;
  kind?: SpanKindName[];
  /** The span name starts with one of these. */
  namePrefix?: string[];
  /** `genba.component`, else `service.name`. */
  component?: string[];
  service?: string[];
  /** The span (or its resource) has this attribute; with `values`, one of them (compared as text). */
  attribute?: string;
  values?: string[];
  /** A CLIENT/PRODUCER span whose child runs in another service or is a SERVER/CONSUMER span. */
  remoteChild?: boolean;
  /**
   * Only the span's waiting stretch: from its start for `queue_wait_time_us` (or `genba.wait_us`,
   * `kanban.wait_time_ms`), or for a queued CLIENT span until its remote child starts.
   * The rest of the section goes on to the next rules.
   */
  waitOnly?: boolean;
}

export interface Rule {
  /** Shown in reports as the reason for the category. */
  name: string;
  category: Category;
  when: RuleCondition;
}

/** DESIGN §5's defaults, in order. Anything they do not match is processing. */
export const DEFAULT_RULES: readonly Rule[] = [
  { name: 'error', category: 'defect', when: { error: true } },
  { name: 'retried attempt', category: 'defect', when: { retried: true } },
  { name: 'queue or pool', category: 'waiting', when: { component: ['kanban', 'heijunka'] } },
  { name: 'queue or pool', category: 'waiting', when: { namePrefix: ['kanban.', 'heijunka.'] } },
  {
    name: 'message receive',
    category: 'waiting',
    when: { attribute: 'messaging.operation', values: ['receive'] },
  },
  {
    name: 'message receive',
    category: 'waiting',
    when: { attribute: 'messaging.operation.type', values: ['receive'] },
  },
  { name: 'retry backoff', category: 'waiting', when: { attribute: 'retry.name' } },
  { name: 'recorded wait', category: 'waiting', when: { waitOnly: true } },
  { name: 'circuit breaker', category: 'transport', when: { component: ['jidoka'] } },
  { name: 'circuit breaker', category: 'transport', when: { namePrefix: ['jidoka.'] } },
  { name: 'network', category: 'transport', when: { kind: ['client', 'producer'], remoteChild: true } },
];

export const PROCESSING_RULE: Rule = { name: 'processing', category: 'processing', when: {} };

/** Attributes that record how long a span waited before its work began. */
export const WAIT_ATTRIBUTES: readonly { key: string; nsPerUnit: number }[] = [
  { key: 'queue_wait_time_us', nsPerUnit: 1_000 },
  { key: 'genba.wait_us', nsPerUnit: 1_000 },
  { key: 'kanban.wait_time_ms', nsPerUnit: 1_000_000 },
];

/** On a CLIENT span, says that its time before the remote child started was spent in a queue. */
export const QUEUED_ATTRIBUTE = 'genba.queued';
