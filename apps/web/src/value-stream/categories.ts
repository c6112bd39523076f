// The four value-stream categories: how each is named and coloured, and a time split into parts.
import { CATEGORIES, type Category, type CategoryTimes } from '../api/genba-types.ts';

export const CATEGORY_INFO: Record<Category, { label: string; color: string; hint: string }> = {
  processing: { label: 'Processing', color: '#3d9a5b', hint: 'value-added work' },
  waiting: { label: 'Waiting', color: '#e0a526', hint: 'queues, pools, explicit waits' },
  transport: { label: 'Transport', color: '#5b7fc7', hint: 'network, serialisation, breaker checks' },
  defect: { label: 'Defect', color: '#d64545', hint: 'errors and retried attempts' },
};

export type CategoryPart = { category: Category; us: number; fraction: number };

/** Each category with its µs and its fraction of their sum (0 when the sum is 0), in the fixed order. */
export function categoryParts(times: CategoryTimes): CategoryPart[] {
  let total = 0;
  for (const c of CATEGORIES) total += times[c] ?? 0;
  return CATEGORIES.map((category) => {
    const us = times[category] ?? 0;
    return { category, us, fraction: total > 0 ? us / total : 0 };
  });
}

/** The components of one trace's analysis, most critical-path time first (ties by name). */
export function rankComponents(
  components: Record<string, number>,
): { component: string; us: number; fraction: number }[] {
  const list = Object.entries(components);
  const total = list.reduce((sum, [, us]) => sum + us, 0);
  return list
    .map(([component, us]) => ({ component, us, fraction: total > 0 ? us / total : 0 }))
    .sort((a, b) => b.us - a.us || a.component.localeCompare(b.component));
}
