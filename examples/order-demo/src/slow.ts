/**
 * A fixed delay added to every request one service handles, so value-stream analysis has a
 * known bottleneck to find (and, with the delay removed, an improvement to measure). It is
 * plain waiting inside the service's SERVER span: processing time of that service, on top of
 * the seeded faults, and the same on every run.
 */
/** The services behind the gateway, any one of which can be slowed. */
export const SLOW_SERVICES = ['orders', 'payments', 'inventory', 'shipping'] as const;
export type SlowService = (typeof SLOW_SERVICES)[number];

export interface SlowOption {
  service: SlowService;
  /** Added to every request the service handles, in ms. */
  ms: number;
}

/** Longer would trip the callers' 10 s timeouts once retries add up. */
export const MAX_SLOW_MS = 5000;

const FLAG_FORMS =
  `--slow expects SERVICE=DURATION such as inventory=300ms: SERVICE is ${SLOW_SERVICES.join(', ')}; ` +
  `DURATION is 300 (ms), 300ms or 1.5s, at most ${MAX_SLOW_MS / 1000}s`;

export function isSlowService(name: string): name is SlowService {
  return (SLOW_SERVICES as readonly string[]).includes(name);
}

/** Checks `startDemo`'s `slow` option; returns a message when it is wrong. */
export function invalidSlow(slow: SlowOption): string | undefined {
  if (typeof slow !== 'object' || slow === null || !isSlowService(slow.service))
    return `slow.service must be one of ${SLOW_SERVICES.join(', ')}`;
  if (typeof slow.ms !== 'number' || !(slow.ms >= 0 && slow.ms <= MAX_SLOW_MS))
    return `slow.ms must be a number of ms from 0 to ${MAX_SLOW_MS}`;
  return undefined;
}

/** Parses the CLI's `inventory=300ms`, `payments=1.5s` or `shipping=300`; throws naming the flag. */
export function parseSlowFlag(text: string): SlowOption {
  const m = /^([a-z]+)=(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  const got = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  if (m === null || !isSlowService(m[1])) throw new Error(`${FLAG_FORMS}; got ${got}`);
  const ms = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  if (ms > MAX_SLOW_MS) throw new Error(`${FLAG_FORMS}; got ${got}`);
  return { service: m[1], ms };
}
