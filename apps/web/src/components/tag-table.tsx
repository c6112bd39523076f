import type { JaegerTag } from '../api/jaeger-types.ts';
import { tagText } from '../trace/span-info.ts';

/** Key/value rows. Values are text nodes: span data never becomes markup. */
export function TagTable({ tags, testId }: { tags: JaegerTag[] | null | undefined; testId?: string }) {
  if (!tags || tags.length === 0) return <p className="muted">none</p>;
  return (
    <table className="tag-table" data-testid={testId}>
      <tbody>
        {tags.map((t, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: keys may repeat; the order is fixed
          <tr key={i}>
            <th scope="row" className="tag-key">
              {t.key}
            </th>
            <td className={`tag-value type-${t.type}`} data-testid="tag-value">
              {tagText(t.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
