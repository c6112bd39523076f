// Time stamps are microseconds since the epoch, as in the Jaeger API.

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time, "2025-11-21 13:11:05.123". */
export function formatTimestamp(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  if (Number.isNaN(d.getTime())) return '–';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** "just now", "42s ago", "5 minutes ago", "3 hours ago", "2 days ago" (or "in …" for the future). */
export function formatRelative(us: number, nowMs: number = Date.now()): string {
  const diffMs = nowMs - us / 1000;
  const future = diffMs < 0;
  const s = Math.abs(diffMs) / 1000;
  let text: string;
  if (s < 5) return 'just now';
  if (s < 60) text = `${Math.floor(s)}s`;
  else if (s < 3600) text = plural(Math.floor(s / 60), 'minute');
  else if (s < 86400) text = plural(Math.floor(s / 3600), 'hour');
  else text = plural(Math.floor(s / 86400), 'day');
  return future ? `in ${text}` : `${text} ago`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
