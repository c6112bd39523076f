/**
 * Clock skew between hosts: a remote child (a SERVER or CONSUMER span, or a span of another
 * service, under a span on another host) that does not fit inside its parent is shifted so that
 * it sits in the middle of the parent, the network time split evenly on both sides. A child
 * longer than its parent can only be moved to start with it. Descendants on the child's host
 * move by the same amount; the shift is never applied across a host boundary twice.
 */
import type { Span } from '@genba/model';
import { SpanKind, serviceName } from '@genba/model';
import { attributeText } from '../span-facts.ts';

export interface SkewAdjustment {
  spanId: string;
  /** ns added to the span's times. */
  shift: bigint;
}

/** Where a span ran: the host attributes of its resource, else its service and instance. */
function hostOf(span: Span): string {
  const a = span.resource.attributes;
  for (const key of ['host.id', 'host.name', 'ip', 'hostname']) {
    const v = attributeText(a[key]);
    if (v !== undefined && v !== '') return `host:${v}`;
  }
  return `service:${serviceName(span)}/${attributeText(a['service.instance.id']) ?? ''}`;
}

function isRemote(child: Span, parent: Span): boolean {
  if (hostOf(child) === hostOf(parent)) return false;
  return (
    child.kind === SpanKind.SERVER ||
    child.kind === SpanKind.CONSUMER ||
    serviceName(child) !== serviceName(parent)
  );
}

function skewFor(child: Span, parent: Span): bigint {
  const pd = parent.endTimeUnixNano - parent.startTimeUnixNano;
  const cd = child.endTimeUnixNano - child.startTimeUnixNano;
  if (pd < cd) {
    return child.startTimeUnixNano < parent.startTimeUnixNano
      ? parent.startTimeUnixNano - child.startTimeUnixNano
      : 0n;
  }
  if (child.startTimeUnixNano >= parent.startTimeUnixNano && child.endTimeUnixNano <= parent.endTimeUnixNano)
    return 0n;
  return parent.startTimeUnixNano + (pd - cd) / 2n - child.startTimeUnixNano;
}

function shifted(span: Span, by: bigint): Span {
  if (by === 0n) return span;
  return {
    ...span,
    startTimeUnixNano: span.startTimeUnixNano + by,
    endTimeUnixNano: span.endTimeUnixNano + by,
    events: span.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano + by })),
  };
}

/** New span objects where times moved; the input is not changed. */
export function adjustClockSkew(spans: readonly Span[]): { spans: Span[]; adjustments: SkewAdjustment[] } {
  const byId = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) byId.set(spans[i].spanId, i);
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  spans.forEach((s, i) => {
    const p = s.parentSpanId === '' || s.parentSpanId === s.spanId ? undefined : byId.get(s.parentSpanId);
    if (p === undefined) roots.push(i);
    else {
      const list = children.get(p);
      if (list) list.push(i);
      else children.set(p, [i]);
    }
  });
  const out = [...spans];
  const adjustments: SkewAdjustment[] = [];
  const visited = new Uint8Array(spans.length);
  const stack: { i: number; shift: bigint }[] = roots.map((i) => ({ i, shift: 0n }));
  while (stack.length > 0) {
    const { i, shift } = stack.pop() as { i: number; shift: bigint };
    if (visited[i]) continue;
    visited[i] = 1;
    const parent = out[i];
    for (const c of children.get(i) ?? []) {
      const child = spans[c];
      const by = isRemote(child, spans[i]) ? skewFor(child, parent) : shift;
      out[c] = shifted(child, by);
      if (by !== 0n) adjustments.push({ spanId: child.spanId, shift: by });
      stack.push({ i: c, shift: by });
    }
  }
  return { spans: out, adjustments };
}
