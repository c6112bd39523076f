/**
 * The W3C `tracestate` list: vendor key/value pairs, most recently updated first.
 * Immutable: `set` and `unset` return a new instance, so a span context's state can be shared.
 *
 * Parsing follows Trace Context Level 1: a header with any malformed member, a duplicated key
 * or more than 32 members is discarded as a whole; empty members are allowed and skipped.
 */
import type { TraceState as ApiTraceState } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { trimOws } from './headers.ts';

/** W3C cap on list-members; `set` drops the right-most member to stay within it. */
export const MAX_TRACE_STATE_MEMBERS = 32;

// simple-key: lcalpha then up to 255 more; multi-tenant: tenant (≤241) "@" system (≤14).
const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
// 1–256 printable ASCII without ',' and '=', not ending in a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

export function isValidTraceStateKey(key: string): boolean {
  return SIMPLE_KEY.test(key) || MULTI_TENANT_KEY.test(key);
}

export function isValidTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}

type Entry = readonly [key: string, value: string];

/** The members of a header (or of repeated headers, combined with ','), or undefined if invalid. */
function parseMembers(header: string | readonly string[]): Entry[] | undefined {
  const text = typeof header === 'string' ? header : header.join(',');
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(',')) {
    // OWS around a member is ignored; leading spaces inside the value are kept by the grammar.
    const member = trimOws(raw);
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq < 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value) || seen.has(key)) return undefined;
    seen.add(key);
    entries.push([key, value]);
    if (entries.length > MAX_TRACE_STATE_MEMBERS) return undefined;
  }
  return entries;
}

export class TraceState implements ApiTraceState {
  #entries: readonly Entry[];

  /** Parses `header`; an invalid header gives an empty state (use `TraceState.parse` to tell). */
  constructor(header?: string | readonly string[]) {
    this.#entries = header === undefined ? [] : (parseMembers(header) ?? []);
  }

  /** The parsed state, or undefined when the header breaks a rule and must be discarded. */
  static parse(header: string | readonly string[]): TraceState | undefined {
    const entries = parseMembers(header);
    return entries === undefined ? undefined : TraceState.#of(entries);
  }

  static #of(entries: readonly Entry[]): TraceState {
    const state = new TraceState();
    state.#entries = entries;
    return state;
  }

  /** Number of list-members. */
  get size(): number {
    return this.#entries.length;
  }

  get(key: string): string | undefined {
    for (const [k, v] of this.#entries) if (k === key) return v;
    return undefined;
  }

  /**
   * Adds or updates `key`, moving it to the front as the spec requires of a mutation. An invalid
   * key or value leaves the state unchanged (reported once) rather than producing a bad header.
   */
  set(key: string, value: string): TraceState {
    if (!isValidTraceStateKey(key) || !isValidTraceStateValue(value)) {
      reportOnce('tracestate.set', 'TraceState.set ignored an invalid key or value', key);
      return this;
    }
    const rest = this.#entries.filter(([k]) => k !== key);
    return TraceState.#of([[key, value] as const, ...rest].slice(0, MAX_TRACE_STATE_MEMBERS));
  }

  unset(key: string): TraceState {
    const rest = this.#entries.filter(([k]) => k !== key);
    return rest.length === this.#entries.length ? this : TraceState.#of(rest);
  }

  serialize(): string {
    return this.#entries.map(([k, v]) => `${k}=${v}`).join(',');
  }
}
