/**
 * The `filter` processor, keyed like the Collector's OTTL one: `error_mode` (propagate, ignore,
 * silent) and `traces.span`, a list of conditions; a span that matches any condition is
 * dropped and counted (`genba_processor_spans_dropped_total{reason="filtered"}`).
 *
 * The conditions are a small, safe subset of OTTL, parsed once at startup by a hand-written
 * parser (nothing is ever evaluated as code):
 *
 *   paths       name, kind, status.code, status.message, attributes["key"],
 *               resource.attributes["key"], instrumentation_scope.name,
 *               instrumentation_scope.version, trace_id.string, span_id.string,
 *               parent_span_id.string, and duration_ms (a Genba extension: end − start in
 *               milliseconds, a double)
 *   literals    "strings" (escapes \" \\ \n \t \r), ints (42, -1), doubles (2.5, 1e3), true,
 *               false, nil (a missing value)
 *   enums       SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, SPAN_KIND_CLIENT,
 *               SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER, STATUS_CODE_UNSET, STATUS_CODE_OK,
 *               STATUS_CODE_ERROR
 *   compare     == != < <= > >=  (ints and doubles compare by value; strings order by code
 *               unit; values of different types are unequal and unordered, so `<` is false)
 *   function    IsMatch(<path>, "regexp"): the regexp matches anywhere in the value's text
 *   logic       and, or, not, parentheses; `and` binds tighter than `or`
 *
 *   Examples:   attributes["http.route"] == "/health"
 *               resource.attributes["service.name"] == "loadgen" and duration_ms < 1
 *               kind == SPAN_KIND_CLIENT and not (status.code == STATUS_CODE_ERROR)
 *               IsMatch(name, "^GET /static/")
 *
 * A condition that fails to evaluate follows `error_mode`: propagate refuses the request,
 * ignore logs it and keeps the span, silent keeps the span quietly. With this subset only a
 * fault in the span data itself can make evaluation fail.
 */
import type { Span } from '@genba/model';
import { GenbaError } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import type { SpanConsumer } from '../span-consumer.ts';
import { evaluate } from './filter-evaluate.ts';
import { type Condition, parseCondition } from './filter-parser.ts';

export const filterProcessorConfig = z
  .object({
    error_mode: z.enum(['propagate', 'ignore', 'silent']).default('propagate'),
    traces: z
      .object({ span: z.array(z.string()).default([]) })
      .strict()
      .default({ span: [] }),
  })
  .strict()
  .superRefine((c, ctx) => {
    c.traces.span.forEach((cond, i) => {
      try {
        parseCondition(cond);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['traces', 'span', i], message: (err as Error).message });
      }
    });
  });

export type FilterProcessorConfig = z.output<typeof filterProcessorConfig>;

export function createFilterProcessor(
  config: FilterProcessorConfig,
  next: SpanConsumer,
  ctx: ComponentContext,
  name = 'filter',
): Stage {
  const conditions: { text: string; condition: Condition }[] = config.traces.span.map((text) => ({
    text,
    condition: parseCondition(text),
  }));
  const dropped = ctx.metrics.counter(
    'genba_processor_spans_dropped_total',
    'Spans processors dropped on purpose, by processor and reason',
  );
  const mode = config.error_mode;

  const matches = (span: Span): boolean => {
    for (const c of conditions) {
      try {
        if (evaluate(c.condition, span)) return true;
      } catch (err) {
        const message = `${name}: condition ${JSON.stringify(c.text)} failed on span "${span.name}": ${(err as Error).message}`;
        if (mode === 'propagate') throw new GenbaError('internal', message, { cause: err });
        if (mode === 'ignore') ctx.log.warn(message);
      }
    }
    return false;
  };

  return {
    async consume(spans: Span[]) {
      if (conditions.length === 0) return next.consume(spans);
      const kept = spans.filter((s) => !matches(s));
      const gone = spans.length - kept.length;
      if (gone > 0) dropped({ processor: name, reason: 'filtered' }, gone);
      if (kept.length === 0) return;
      return next.consume(kept);
    },
  };
}
