/** Nanosecond time helpers. Storage and OTLP use bigint nanoseconds; Jaeger and Zipkin use microseconds. */

export function microsToNanos(us: number | bigint): bigint {
  return BigInt(us) * 1000n;
}

/** Whole microseconds (truncated), as Jaeger and Zipkin carry times; exact below 2^53 µs. */
export function nanosToMicros(ns: bigint): number {
  return Number(ns / 1000n);
}

export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Parses a duration as Jaeger and Go write it ("1.5s", "250ms", "100us", "2m", "1h30m").
 * Returns nanoseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): bigint | undefined {
  const t = text.trim();
  if (t === '' || t === '0') return t === '0' ? 0n : undefined;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  const unit: Record<string, number> = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    ms: 1e6,
    s: 1e9,
    m: 60e9,
    h: 3600e9,
    d: 86400e9,
  };
  let total = 0;
  let pos = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    total += Number(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== t.length) return undefined;
  return BigInt(Math.round(total));
}
