/** The four kinds of time in a value stream (TPS): only processing adds value. */
export const CATEGORIES = ['processing', 'waiting', 'transport', 'defect'] as const;
export type Category = (typeof CATEGORIES)[number];

export type CategoryTimes = Record<Category, number>;

export function zeroCategories(): CategoryTimes {
  return { processing: 0, waiting: 0, transport: 0, defect: 0 };
}

export function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

/** processing ÷ total, 0 for an empty total. */
export function valueAddedRatio(c: CategoryTimes): number {
  const total = c.processing + c.waiting + c.transport + c.defect;
  return total > 0 ? c.processing / total : 0;
}
