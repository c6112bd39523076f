import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, SpanKind, StatusCode } from '@genba/model';
import type { ComponentContext } from '../src/component.ts';
import { createDebugExporter, debugExporterConfig } from '../src/exporters/debug-exporter.ts';
import { Metrics } from '../src/metrics.ts';

function span(i: number, service: string, traceId: string): Span {
  const resource = { ...emptyResource(), attributes: { 'service.name': service } };
  const s = emptySpan(resource, { ...emptyScope(), name: 'lib' });
  s.traceId = traceId;
  s.spanId = i.toString(16).padStart(16, '0');
  s.name = `op-${i}`;
  s.kind = SpanKind.CLIENT;
  s.status = { code: StatusCode.ERROR, message: 'boom' };
  s.startTimeUnixNano = 1_000_000_000n;
  s.endTimeUnixNano = 1_001_500_000n;
  s.attributes = { 'http.status_code': 500n, ok: false, ratio: 0.5, route: '/a' };
  s.events = [
    { timeUnixNano: 1_000_100_000n, name: 'retry', attributes: { attempt: 2n }, droppedAttributesCount: 0 },
  ];
  return s;
}

const T1 = 'a'.repeat(32);
const T2 = 'b'.repeat(32);
const batch = () => [span(1, 'cart', T1), span(2, 'cart', T1), span(3, 'pay', T2)];

function setup(verbosity?: string) {
  const out: string[] = [];
  const ctx: ComponentContext = { metrics: new Metrics(), log: { warn() {}, info() {} } };
  const exporter = createDebugExporter(
    debugExporterConfig.parse(verbosity ? { verbosity } : {}),
    ctx,
    'debug',
    (t) => out.push(t),
  );
  return { exporter, out, ctx };
}

describe('debug exporter', () => {
  test('basic (the default) writes one summary line per batch and counts the spans', async () => {
    const { exporter, out, ctx } = setup();
    await exporter.consume(batch());
    await exporter.consume([]);
    assert.deepEqual(out, ['debug: 3 spans, 2 traces, 2 services\n']);
    assert.match(ctx.metrics.render(), /genba_exporter_spans_sent_total\{exporter="debug"\} 3/);
  });

  test('normal adds one line per span', async () => {
    const { exporter, out } = setup('normal');
    await exporter.consume(batch());
    const lines = out.join('').trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(
      lines[1],
      `  "cart" "op-1" trace=${T1} span=0000000000000001 kind=CLIENT status=ERROR duration=1.500ms`,
    );
    assert.doesNotMatch(lines[1], /http\.status_code/, 'normal does not print attributes');
  });

  test('detailed prints every span with its attributes, resource and events', async () => {
    const { exporter, out } = setup('detailed');
    await exporter.consume([span(7, 'cart', T1)]);
    const text = out.join('');
    assert.match(text, /attributes: "http.status_code"=500 "ok"=false "ratio"=0.5 "route"="\/a"/);
    assert.match(text, /resource: "service.name"="cart"/);
    assert.match(text, /status: ERROR "boom"/);
    assert.match(text, /event "retry" at 1000100000: "attempt"=2/);
    assert.match(text, /start_time_unix_nano: 1000000000/);
  });

  test('text from spans cannot forge lines', async () => {
    const { exporter, out } = setup('normal');
    const s = span(1, 'cart', 'x\nfake line');
    s.name = 'evil\n  "cart" "op" \u001b[31m';
    await exporter.consume([s]);
    const lines = out.join('').trimEnd().split('\n');
    assert.equal(lines.length, 2, 'the newline stays escaped');
    assert.equal(out.join('').includes('\u001b'), false, 'no raw escape character');
    assert.match(lines[1], /trace="x\\nfake line"/);
  });

  test('verbosity is checked', () => {
    const r = debugExporterConfig.safeParse({ verbosity: 'loud' });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0].path, ['verbosity']);
    assert.equal(debugExporterConfig.parse({}).verbosity, 'basic');
  });
});
