/** Each critical-path section gets one category: an explicit `genba.waste`, else the first matching rule. */
import { serviceName } from '@genba/model';
import type { Category } from './categories.ts';
import { isCategory } from './categories.ts';
import type { PathSection } from './critical-path.ts';
import type { Rule, RuleCondition } from './rules.ts';
import { PROCESSING_RULE } from './rules.ts';
import {
  attribute,
  attributeText,
  componentOf,
  hasErrorOnPath,
  hasRemoteChild,
  isRetriedAttempt,
  kindName,
  waitEnd,
} from './span-facts.ts';
import type { TraceNode } from './trace-tree.ts';

export interface Segment {
  node: TraceNode;
  /** ns relative to the trace's base. */
  start: number;
  end: number;
  category: Category;
  component: string;
  /** The rule (or `genba.waste`) that chose the category. */
  reason: string;
}

function holds(c: RuleCondition, node: TraceNode): boolean {
  const span = node.span;
  if (c.kind !== undefined && !c.kind.includes(kindName(span))) return false;
  if (c.namePrefix !== undefined && !c.namePrefix.some((p) => span.name.startsWith(p))) return false;
  if (c.component !== undefined && !c.component.includes(componentOf(span))) return false;
  if (c.service !== undefined && !c.service.includes(serviceName(span))) return false;
  if (c.attribute !== undefined) {
    const v = attribute(span, c.attribute);
    if (v === undefined) return false;
    if (c.values !== undefined && !c.values.includes(attributeText(v) ?? '')) return false;
  }
  if (c.error !== undefined && hasErrorOnPath(node) !== c.error) return false;
  if (c.retried !== undefined && isRetriedAttempt(node) !== c.retried) return false;
  if (c.remoteChild !== undefined && hasRemoteChild(node) !== c.remoteChild) return false;
  // `waitOnly` is not a yes/no condition: classifySection cuts the recorded wait off the section.
  return true;
}

/** Splits and classifies one section; the pieces tile it exactly. */
export function classifySection(section: PathSection, rules: readonly Rule[], out: Segment[]): void {
  const { node } = section;
  const component = componentOf(node.span);
  const waste = attributeText(node.span.attributes['genba.waste']);
  if (isCategory(waste)) {
    out.push({
      node,
      start: section.start,
      end: section.end,
      category: waste,
      component,
      reason: 'genba.waste',
    });
    return;
  }
  let start = section.start;
  for (const rule of rules) {
    if (!holds(rule.when, node)) continue;
    if (rule.when.waitOnly === true) {
      const until = Math.min(waitEnd(node) ?? start, section.end);
      if (until <= start) continue;
      out.push({ node, start, end: until, category: rule.category, component, reason: rule.name });
      start = until;
      if (start === section.end) return;
      continue;
    }
    out.push({ node, start, end: section.end, category: rule.category, component, reason: rule.name });
    return;
  }
  out.push({
    node,
    start,
    end: section.end,
    category: 'processing',
    component,
    reason: PROCESSING_RULE.name,
  });
}
