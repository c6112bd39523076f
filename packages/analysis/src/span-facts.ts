/** What the rules read from one span, computed once per span of the tree. */
import type { AttributeValue, Span } from '@genba/model';
import { SpanKind, StatusCode, serviceName } from '@genba/model';
import type { SpanKindName } from './rules.ts';
import { QUEUED_ATTRIBUTE, WAIT_ATTRIBUTES } from './rules.ts';
import type { TraceNode } from './trace-tree.ts';

const KIND_NAMES: readonly SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

export function kindName(span: Span): SpanKindName {
  return KIND_NAMES[span.kind] ?? 'unspecified';
}

/** A span attribute, else its resource's. */
export function attribute(span: Span, key: string): AttributeValue | undefined {
  const v = span.attributes[key];
  return v !== undefined ? v : span.resource.attributes[key];
}

export function attributeText(v: AttributeValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `genba.component` when set, else `service.name`. */
export function componentOf(span: Span): string {
  const c = attributeText(attribute(span, 'genba.component'));
  return c !== undefined && c !== '' ? c : serviceName(span);
}

export function isError(span: Span): boolean {
  return span.status.code === StatusCode.ERROR;
}

const errorOnPath = new WeakMap<TraceNode, boolean>();

/** Memoised per node, so a deep chain costs O(depth) once, not per section. */
export function hasErrorOnPath(node: TraceNode): boolean {
  const known = errorOnPath.get(node);
  if (known !== undefined) return known;
  const chain: TraceNode[] = [];
  let found = false;
  for (let n: TraceNode | undefined = node; n !== undefined; n = n.parent) {
    const k = errorOnPath.get(n);
    if (k !== undefined) {
      found = k;
      break;
    }
    chain.push(n);
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    found = found || isError(chain[i].span);
    errorOnPath.set(chain[i], found);
  }
  return errorOnPath.get(node) as boolean;
}

function attemptFailed(span: Span): boolean {
  if (isError(span)) return true;
  const http = Number(
    attributeText(attribute(span, 'http.response.status_code') ?? attribute(span, 'http.status_code')),
  );
  if (http >= 500) return true;
  const grpc = attributeText(attribute(span, 'rpc.grpc.status_code'));
  return grpc !== undefined && grpc !== '0';
}

/** A failed attempt with a later sibling of the same name: the sibling is its retry. */
export function isRetriedAttempt(node: TraceNode): boolean {
  const parent = node.parent;
  if (parent === undefined || !attemptFailed(node.span)) return false;
  for (const s of parent.children) {
    if (s !== node && s.span.name === node.span.name && s.start >= node.end) return true;
  }
  return false;
}

export function isRemoteChild(child: TraceNode, parent: TraceNode): boolean {
  if (child.span.kind === SpanKind.SERVER || child.span.kind === SpanKind.CONSUMER) return true;
  return serviceName(child.span) !== serviceName(parent.span);
}

export function hasRemoteChild(node: TraceNode): boolean {
  const k = node.span.kind;
  if (k !== SpanKind.CLIENT && k !== SpanKind.PRODUCER) return false;
  return node.children.some((c) => isRemoteChild(c, node));
}

/** End (relative ns) of the span's recorded waiting stretch, or undefined when it records none. */
export function waitEnd(node: TraceNode): number | undefined {
  for (const { key, nsPerUnit } of WAIT_ATTRIBUTES) {
    const v = Number(attributeText(node.span.attributes[key]));
    if (Number.isFinite(v) && v > 0) return Math.min(node.end, node.start + v * nsPerUnit);
  }
  if (node.span.kind === SpanKind.CLIENT && node.span.attributes[QUEUED_ATTRIBUTE] === true) {
    let first: number | undefined;
    for (const c of node.children)
      if (isRemoteChild(c, node) && (first === undefined || c.start < first)) first = c.start;
    return first;
  }
  return undefined;
}
