/**
 * The `debug` exporter, keyed like the Collector's: `verbosity` basic (one summary line per
 * batch, the default), normal (the summary and one line per span) or detailed (every field of
 * every span, with attributes, events and links). It writes to stderr unless given a writer.
 * Text from spans is printed JSON-quoted, so hostile names cannot forge lines or send terminal
 * escapes.
 */
import type { Attributes, AttributeValue, Span } from '@genba/model';
import { durationNano, serviceName } from '@genba/model';
import { z } from 'zod';
import type { ComponentContext, Stage } from '../component.ts';
import { asString } from '../processors/attributes-value.ts';

export const debugExporterConfig = z
  .object({ verbosity: z.enum(['basic', 'normal', 'detailed']).default('basic') })
  .strict();

export type DebugExporterConfig = z.output<typeof debugExporterConfig>;

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES = ['UNSET', 'OK', 'ERROR'];

const q = (s: string) => JSON.stringify(s);
/** Ids are hex once receivers checked them; anything else is quoted like other text. */
const id = (s: string) => (/^[0-9a-f]*$/.test(s) ? s : q(s));

function value(v: AttributeValue): string {
  return typeof v === 'string' ? q(v) : asString(v);
}

function attrs(a: Attributes): string {
  return Object.entries(a)
    .map(([k, v]) => `${q(k)}=${value(v)}`)
    .join(' ');
}

const millis = (s: Span) => (Number(durationNano(s)) / 1e6).toFixed(3);

function summary(name: string, spans: Span[]): string {
  const traces = new Set(spans.map((s) => s.traceId)).size;
  const services = new Set(spans.map(serviceName)).size;
  return `${name}: ${spans.length} spans, ${traces} traces, ${services} services`;
}

function line(s: Span): string {
  return (
    `  ${q(serviceName(s))} ${q(s.name)} trace=${id(s.traceId)} span=${id(s.spanId)}` +
    ` kind=${KINDS[s.kind] ?? s.kind} status=${STATUSES[s.status.code] ?? s.status.code} duration=${millis(s)}ms`
  );
}

function detailed(s: Span): string[] {
  const out = [
    `  span ${q(s.name)}`,
    `    trace_id: ${id(s.traceId)}`,
    `    span_id: ${id(s.spanId)}`,
    `    parent_span_id: ${id(s.parentSpanId)}`,
    `    trace_state: ${q(s.traceState)}`,
    `    kind: ${KINDS[s.kind] ?? s.kind}`,
    `    start_time_unix_nano: ${s.startTimeUnixNano}`,
    `    end_time_unix_nano: ${s.endTimeUnixNano}`,
    `    duration_ms: ${millis(s)}`,
    `    status: ${STATUSES[s.status.code] ?? s.status.code} ${q(s.status.message)}`,
    `    resource: ${attrs(s.resource.attributes)}`,
    `    scope: ${q(s.scope.name)} ${q(s.scope.version)}`,
    `    attributes: ${attrs(s.attributes)}`,
  ];
  for (const e of s.events) out.push(`    event ${q(e.name)} at ${e.timeUnixNano}: ${attrs(e.attributes)}`);
  for (const l of s.links)
    out.push(`    link trace=${id(l.traceId)} span=${id(l.spanId)}: ${attrs(l.attributes)}`);
  const dropped = [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount];
  if (dropped.some((n) => n > 0))
    out.push(`    dropped: attributes=${dropped[0]} events=${dropped[1]} links=${dropped[2]}`);
  return out;
}

export function createDebugExporter(
  config: DebugExporterConfig,
  ctx: ComponentContext,
  name = 'debug',
  write: (text: string) => void = (text) => {
    process.stderr.write(text);
  },
): Stage {
  const sent = ctx.metrics.counter(
    'genba_exporter_spans_sent_total',
    'Spans exporters delivered, by exporter',
  );
  return {
    async consume(spans: Span[]) {
      if (spans.length === 0) return;
      const lines = [summary(name, spans)];
      if (config.verbosity === 'normal') for (const s of spans) lines.push(line(s));
      else if (config.verbosity === 'detailed') for (const s of spans) lines.push(...detailed(s));
      write(`${lines.join('\n')}\n`);
      sent({ exporter: name }, spans.length);
    },
  };
}
