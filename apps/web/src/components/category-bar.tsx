import type { CategoryTimes } from '../api/genba-types.ts';
import { formatDuration } from '../format/duration.ts';
import { formatPercent } from '../format/percent.ts';
import { CATEGORY_INFO, categoryParts } from '../value-stream/categories.ts';

type Props = {
  categories: CategoryTimes;
  /** words after the figures in the legend, e.g. "per trace" */
  unit?: string;
  testId?: string;
};

/** The four categories as one stacked bar, with a legend of durations and percentages. */
export function CategoryBar({ categories, unit, testId = 'category-bar' }: Props) {
  const parts = categoryParts(categories);
  const label = parts
    .map((p) => `${CATEGORY_INFO[p.category].label} ${formatPercent(p.fraction)}`)
    .join(', ');
  return (
    <div className="cat-bar" data-testid={testId}>
      <div className="cat-track" role="img" aria-label={label}>
        {parts.map((p) =>
          p.us > 0 ? (
            <span
              key={p.category}
              className={`cat-seg cat-${p.category}`}
              style={{ width: `${p.fraction * 100}%`, background: CATEGORY_INFO[p.category].color }}
              title={`${CATEGORY_INFO[p.category].label}: ${formatDuration(p.us)} (${formatPercent(p.fraction)})`}
            />
          ) : null,
        )}
      </div>
      <ul className="cat-legend">
        {parts.map((p) => (
          <li
            key={p.category}
            className={p.us > 0 ? 'cat-item' : 'cat-item zero'}
            title={CATEGORY_INFO[p.category].hint}
            data-testid="category"
            data-category={p.category}
            data-us={p.us}
          >
            <span className="swatch" style={{ background: CATEGORY_INFO[p.category].color }} />
            <span className="cat-name">{CATEGORY_INFO[p.category].label}</span>
            <span className="cat-us" data-testid="category-duration">
              {formatDuration(p.us)}
              {unit ? ` ${unit}` : ''}
            </span>
            <span className="cat-pct" data-testid="category-percent">
              {formatPercent(p.fraction)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
