/**
 * W3C Baggage: the `baggage` header, `key=value` list-members with optional `;property`
 * metadata. Malformed members are skipped one by one (the spec leaves the choice open, and
 * one bad entry from some proxy should not cost the others). Values are percent-encoded on
 * the wire; metadata is kept in its wire form, since the api treats it as an opaque string.
 */
import type {
  BaggageEntry,
  Context,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
} from '@opentelemetry/api';
import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { isTracingSuppressed } from '../suppress.ts';
import { combinedHeaderValue, trimOws } from './headers.ts';
import { percentDecode, percentEncode } from './percent-encoding.ts';

export const BAGGAGE_HEADER = 'baggage';

/**
 * Limits from the W3C Baggage working draft this implementation sizes itself on; the current
 * draft only sets floors (64 members, 8192 bytes), which these stay above.
 */
export const BAGGAGE_MAX_ENTRIES = 180;
export const BAGGAGE_MAX_MEMBER_BYTES = 4096;
export const BAGGAGE_MAX_TOTAL_BYTES = 8192;

// RFC 7230 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// *baggage-octet: printable ASCII except space, '"', ',', ';' and '\'.
const OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** Normalises `;`-separated properties (OWS dropped); undefined when one is malformed. */
function parseProperties(segments: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const raw of segments) {
    const property = trimOws(raw);
    if (property === '') continue; // a stray ';' carries nothing
    const eq = property.indexOf('=');
    if (eq < 0) {
      if (!TOKEN.test(property)) return undefined;
      out.push(property);
      continue;
    }
    const key = trimOws(property.slice(0, eq));
    const value = trimOws(property.slice(eq + 1));
    if (!TOKEN.test(key) || !OCTETS.test(value)) return undefined;
    out.push(`${key}=${value}`);
  }
  return out.join(';');
}

interface Member {
  key: string;
  entry: BaggageEntry;
  /** The member as it is (or would be) on the wire, for the size limits. */
  text: string;
}

function parseMember(raw: string): Member | undefined {
  const member = trimOws(raw);
  const [pair, ...properties] = member.split(';');
  const eq = pair.indexOf('=');
  if (eq < 0) return undefined;
  const key = trimOws(pair.slice(0, eq));
  const value = trimOws(pair.slice(eq + 1));
  if (!TOKEN.test(key) || !OCTETS.test(value)) return undefined;
  const metadata = parseProperties(properties);
  if (metadata === undefined) return undefined;
  const entry: BaggageEntry = { value: percentDecode(value) };
  if (metadata !== '') entry.metadata = baggageEntryMetadataFromString(metadata);
  return { key, entry, text: member };
}

/**
 * Counts members and bytes (with their ',' separators) against the limits. Members are ASCII
 * by then (validated on extract, percent-encoded on inject), so length is bytes.
 */
class Budget {
  #count = 0;
  #bytes = 0;

  take(text: string): boolean {
    const bytes = text.length + (this.#count === 0 ? 0 : 1);
    if (text.length > BAGGAGE_MAX_MEMBER_BYTES) return false;
    if (this.#count >= BAGGAGE_MAX_ENTRIES || this.#bytes + bytes > BAGGAGE_MAX_TOTAL_BYTES) return false;
    this.#count++;
    this.#bytes += bytes;
    return true;
  }
}

/**
 * The entries of a baggage header in order, limits applied. A repeated key keeps its last
 * value (the spec lets the receiver choose how to deduplicate).
 */
export function parseBaggageHeader(header: string): Array<[string, BaggageEntry]> {
  const last = new Map<string, Member>();
  for (const raw of header.split(',')) {
    // Empty members fail like any other malformed one: no '='.
    const member = parseMember(raw);
    if (member === undefined) continue;
    last.delete(member.key);
    last.set(member.key, member);
  }
  const budget = new Budget();
  const out: Array<[string, BaggageEntry]> = [];
  for (const { key, entry, text } of last.values()) if (budget.take(text)) out.push([key, entry]);
  return out;
}

/** Formats entries as a header value, dropping what is invalid or does not fit; '' if none. */
export function serializeBaggage(entries: Iterable<readonly [string, BaggageEntry]>): string {
  const budget = new Budget();
  const members: string[] = [];
  for (const [key, entry] of entries) {
    if (!TOKEN.test(key) || typeof entry.value !== 'string') {
      reportOnce('baggage.inject.key', 'baggage entry not propagated: key is not an RFC 7230 token', key);
      continue;
    }
    let text = `${key}=${percentEncode(entry.value)}`;
    const raw = entry.metadata?.toString() ?? '';
    const metadata = parseProperties(raw.split(';'));
    if (metadata === undefined) {
      reportOnce('baggage.inject.metadata', 'baggage metadata not propagated: not a ;-property list', raw);
    } else if (metadata !== '') {
      text += `;${metadata}`;
    }
    if (budget.take(text)) members.push(text);
  }
  return members.join(',');
}

export class W3CBaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    // Suppressed requests (the exporter's own) carry no context at all.
    if (baggage === undefined || isTracingSuppressed(context)) return;
    const header = serializeBaggage(baggage.getAllEntries());
    if (header !== '') setter.set(carrier, BAGGAGE_HEADER, header);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = combinedHeaderValue(getter, carrier, BAGGAGE_HEADER);
    if (header === undefined) return context;
    const entries = parseBaggageHeader(header);
    if (entries.length === 0) return context;
    // Null prototype: a member named "__proto__" is data, not an object's prototype.
    const record: Record<string, BaggageEntry> = Object.create(null);
    for (const [key, entry] of entries) record[key] = entry;
    return propagation.setBaggage(context, propagation.createBaggage(record));
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
