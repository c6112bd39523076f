/** Column-aligned text tables: the width of each column is that of its longest cell. */

export type Align = 'left' | 'right';

/** Code points, so µ, → and the block characters count as one cell each. */
export function cells(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - cells(s)));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * Rows (the first may be a header) as lines indented by `indent`, columns two spaces apart;
 * trailing spaces are trimmed so the last column may be ragged (bars).
 */
export function table(
  rows: readonly (readonly string[])[],
  align: readonly Align[],
  indent = '  ',
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, cells(row[i]));
  return rows.map((row) =>
    (indent + row.map((c, i) => pad(c, widths[i], align[i] ?? 'left')).join('  ')).trimEnd(),
  );
}
