/** Span kinds by the lower-case names that Jaeger's API uses. */
const NAMES = ['', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export function spanKindName(kind: number): string {
  return NAMES[kind] ?? '';
}

export function spanKindFromName(name: string): number | undefined {
  const i = (NAMES as readonly string[]).indexOf(name.toLowerCase());
  return i > 0 ? i : undefined;
}
