// Epoch µs to and from the text of an <input type="datetime-local"> (local time, to the second).

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** "2025-11-21T13:11:05" in local time. */
export function toLocalInput(us: number): string {
  const d = new Date(Math.floor(us / 1000));
  if (Number.isNaN(d.getTime())) return '';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Epoch µs of a local "YYYY-MM-DDTHH:MM[:SS[.fff]]", or null when the text is not one. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(y, mo - 1, d, h, mi, s, ms);
  // new Date rolls an impossible date over (Feb 30 → Mar 2): refuse it instead.
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date.getTime() * 1000;
}
