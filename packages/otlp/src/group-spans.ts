import type { Resource, Scope, Span } from '@genba/model';

export interface ScopeGroup {
  scope: Scope;
  spans: Span[];
}

export interface ResourceGroup {
  resource: Resource;
  scopes: ScopeGroup[];
}

/**
 * Groups spans by resource object, then by scope object, in first-seen order. Identity, not
 * equality: decoders share one object per ResourceSpans / ScopeSpans, so this restores them.
 */
export function groupSpans(spans: readonly Span[]): ResourceGroup[] {
  const out: ResourceGroup[] = [];
  const byResource = new Map<Resource, { group: ResourceGroup; byScope: Map<Scope, ScopeGroup> }>();
  // Batches usually hold runs of spans from one resource and scope: skip the lookups for those.
  let lastResource: Resource | undefined;
  let lastScope: Scope | undefined;
  let last: ScopeGroup | undefined;
  for (const span of spans) {
    if (span.resource === lastResource && span.scope === lastScope && last !== undefined) {
      last.spans.push(span);
      continue;
    }
    let entry = byResource.get(span.resource);
    if (entry === undefined) {
      entry = { group: { resource: span.resource, scopes: [] }, byScope: new Map() };
      byResource.set(span.resource, entry);
      out.push(entry.group);
    }
    let scoped = entry.byScope.get(span.scope);
    if (scoped === undefined) {
      scoped = { scope: span.scope, spans: [] };
      entry.byScope.set(span.scope, scoped);
      entry.group.scopes.push(scoped);
    }
    scoped.spans.push(span);
    lastResource = span.resource;
    lastScope = span.scope;
    last = scoped;
  }
  return out;
}
