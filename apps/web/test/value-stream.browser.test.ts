// Value-stream analysis in the UI, in Debian's Chromium against a real server with tracegen
// traffic: the trace page's panel and critical-path overlay, and the value-stream page, each
// checked against what the /api/genba routes answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type {
  AnomalyItem,
  Comparison,
  CriticalSection,
  TraceAnalysis,
  ValueStream,
} from '../src/api/genba-types.ts';
import { CATEGORIES } from '../src/api/genba-types.ts';
import { formatDuration } from '../src/format/duration.ts';
import { formatPercent } from '../src/format/percent.ts';
import { deltaTone } from '../src/value-stream/deltas.ts';
import { fromLocalInput } from '../src/value-stream/local-time.ts';
import { type Harness, hex, startHarness } from './support/browser-harness.ts';

const XSS_OP = '<img src=x onerror=alert(3)>';
const XSS_MSG = '<img src=y onerror=alert(4)>';
const ANOMALY_SVC = 'vs-anomaly-svc';

let h: Harness;
let checkoutId = '';
let slowId = '';

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${h.base}${path}`);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

/** One root span per trace of ANOMALY_SVC: 40 fast ones (one failing), then one 2 s slow. */
async function sendAnomalyTraffic(): Promise<void> {
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: 41 }, (_, i) => {
    const slow = i === 40;
    const start = endNs - 3_000_000_000n + BigInt(i) * 20_000_000n;
    const traceId = hex(16);
    if (slow) slowId = traceId;
    return {
      traceId,
      spanId: hex(8),
      name: XSS_OP,
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + (slow ? 2_000_000_000n : 5_000_000n + BigInt(i) * 10_000n)),
      status: i === 7 ? { code: 2, message: XSS_MSG } : { code: 0 },
    };
  });
  await h.sendOtlpJson([
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: ANOMALY_SVC } }] },
      scopeSpans: [{ scope: { name: 't' }, spans }],
    },
  ]);
}

before(async () => {
  h = await startHarness();
  await sendAnomalyTraffic();
  // The deepest flow, if tracegen made one: its critical path crosses the most services.
  for (const id of h.traceIds) {
    const a = await api<TraceAnalysis>(`/api/genba/traces/${id}/analysis`);
    if (a.rootOperation === 'POST /checkout') {
      checkoutId = id;
      break;
    }
  }
  checkoutId ||= h.traceIds[0];
});

after(async () => {
  await h?.close();
});

test('trace page: the panel shows the four categories, summing to the analysed latency', async () => {
  const { page } = h;
  const analysis = await api<TraceAnalysis>(`/api/genba/traces/${checkoutId}/analysis`);
  await page.goto(`${h.base}/trace/${checkoutId}`);
  const panel = page.getByTestId('vs-panel');
  await panel.waitFor();

  const items = panel.getByTestId('category');
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-category'))), [
    ...CATEGORIES,
  ]);
  const us = (await items.evaluateAll((els) =>
    els.map((e) => Number(e.getAttribute('data-us'))),
  )) as number[];
  assert.equal(
    us.reduce((a, b) => a + b, 0),
    analysis.totalLatency,
  );
  assert.deepEqual(
    us,
    CATEGORIES.map((c) => analysis.categories[c]),
  );
  assert.ok(analysis.totalLatency > 0);
  // Durations and percentages as text.
  const processing = items.first();
  assert.equal(
    await processing.getByTestId('category-duration').textContent(),
    formatDuration(analysis.categories.processing),
  );
  assert.equal(
    await processing.getByTestId('category-percent').textContent(),
    formatPercent(analysis.categories.processing / analysis.totalLatency),
  );

  assert.equal(await panel.getByTestId('vs-ratio').textContent(), formatPercent(analysis.valueAddedRatio));
  assert.equal(await panel.getByTestId('vs-bottleneck').textContent(), analysis.bottleneck);
  assert.equal(await panel.getByTestId('vs-anomaly-reason').textContent(), analysis.anomaly.reason);
  assert.equal(await panel.getByTestId('vs-anomaly-badge').count(), analysis.anomaly.detected ? 1 : 0);
  const components = await panel
    .getByTestId('vs-component')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-component'), Number(e.getAttribute('data-us'))]),
    );
  assert.deepEqual(Object.fromEntries(components), analysis.components);
  assert.equal(components[0][0], analysis.bottleneck, 'the bottleneck comes first');
  await page.screenshot({ path: '/tmp/genba-ui-vs-trace.png' });
});

test('trace page: the critical-path overlay marks the spans the API puts on the path', async () => {
  const { page } = h;
  const sections = await api<CriticalSection[]>(`/api/genba/traces/${checkoutId}/critical-path`);
  const expected = new Map<string, number>();
  for (const s of sections)
    if (s.endTime > s.startTime) expected.set(s.spanID, (expected.get(s.spanID) ?? 0) + 1);
  assert.ok(expected.size > 0);

  const toggle = page.getByTestId('critical-path-toggle');
  await page.waitForFunction(
    () =>
      !(document.querySelector('[data-testid=critical-path-toggle]') as HTMLInputElement | null)?.disabled,
  );
  assert.equal(await toggle.isChecked(), true, 'the overlay is on by default');
  assert.equal(
    await page.getByTestId('critical-span-count').textContent(),
    `(${expected.size} ${expected.size === 1 ? 'span' : 'spans'})`,
  );

  const readRows = () =>
    page.getByTestId('waterfall-row').evaluateAll((els) =>
      els.map((e) => ({
        id: e.getAttribute('data-span-id') ?? '',
        critical: e.getAttribute('data-critical'),
        marks: e.querySelectorAll('[data-testid=critical-mark]').length,
      })),
    );
  const rows = await readRows();
  const total = Number(await page.getByTestId('trace-span-count').textContent());
  assert.equal(rows.length, total, 'a tracegen trace fits in the view');
  for (const r of rows) {
    const n = expected.get(r.id) ?? 0;
    assert.equal(r.marks, n, `span ${r.id}: ${r.marks} marks, the API has ${n} sections`);
    assert.equal(r.critical, n > 0 ? String(n) : null);
  }
  assert.ok(rows[0].marks > 0, 'the root is on the path');

  await toggle.uncheck();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=critical-mark]').length === 0);
  assert.ok((await readRows()).every((r) => r.critical === null));
  await toggle.check();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=critical-mark]').length > 0);
});

test('value-stream page: linked from the trace, ranking rows match the API components', async () => {
  const { page } = h;
  const analysis = await api<TraceAnalysis>(`/api/genba/traces/${checkoutId}/analysis`);
  await page.getByTestId('vs-page-link').click();
  await page.getByTestId('vs-page').waitFor();
  const url = new URL(page.url());
  assert.equal(url.pathname, '/value-stream');
  assert.equal(url.searchParams.get('service'), analysis.rootService);
  assert.equal(url.searchParams.get('operation'), analysis.rootOperation);
  assert.equal(await page.getByTestId('vs-operation-select').inputValue(), analysis.rootOperation);

  // The top bar's link, then a service chosen in the picker.
  await page.getByTestId('nav-value-stream').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.has('service'));
  await page.getByTestId('vs-service-select').selectOption('frontend');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('service') === 'frontend');
  await page.getByTestId('ranking-row').first().waitFor();

  const root = page.getByTestId('vs-page');
  const start = await root.getAttribute('data-start');
  const end = await root.getAttribute('data-end');
  const vs = await api<ValueStream>(
    `/api/genba/value-stream?service=frontend&start=${start}&end=${end}&buckets=12`,
  );
  assert.ok(vs.traceCount > 0 && vs.components.length > 1, JSON.stringify(vs).slice(0, 300));

  // In the page, ids to cell texts (no named helpers: the page cannot see tsx's __name).
  const cells = ['ranking-component', 'ranking-share', 'ranking-traces', 'ranking-bottleneck-count'];
  const figures = ['ranking-avg', 'ranking-p50', 'ranking-p95', 'ranking-p99'];
  const rows = await page
    .getByTestId('ranking-row')
    .evaluateAll(
      (els, ids) =>
        els.map((e) => [
          e.getAttribute('data-component'),
          ...ids.map((id) => e.querySelector(`[data-testid=${id}]`)?.textContent ?? ''),
        ]),
      [...cells, ...figures],
    );
  assert.deepEqual(
    rows,
    vs.components.map((c) => [
      c.component,
      c.component,
      formatPercent(c.share),
      String(c.traceCount),
      String(c.bottleneckCount),
      ...[c.avg, c.p50, c.p95, c.p99].map(formatDuration),
    ]),
  );

  assert.equal(await page.getByTestId('vs-trace-count').textContent(), String(vs.traceCount));
  assert.equal(await page.getByTestId('vs-p95').textContent(), formatDuration(vs.latency.p95));
  assert.equal(await page.getByTestId('vs-bottleneck').textContent(), vs.bottleneck);
  const us = (await page
    .getByTestId('vs-aggregate')
    .getByTestId('category')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-us'))))) as number[];
  assert.equal(
    us.reduce((a, b) => a + b, 0),
    vs.totalLatency,
  );
  const points = await page.getByTestId('ratio-point').count();
  assert.equal(points, vs.buckets.filter((b) => b.traceCount > 0).length);
  assert.ok(points > 0);

  // By default the previous hour is compared with this one; it holds no traces, so nothing is judged.
  await page.getByTestId('compare-result').waitFor();
  await page.getByTestId('compare-empty').waitFor();
  const tones = await page
    .getByTestId('compare-result')
    .locator('[data-testid=delta]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-tone')));
  assert.ok(tones.length > 0 && tones.every((t) => t === 'same'), tones.join());
  await page.screenshot({ path: '/tmp/genba-ui-vs-page.png' });
});

test('value-stream page: before/after shows per-category and per-component deltas', async () => {
  const { page } = h;
  // Split the window at the median trace start, so both sides have traces.
  const root = page.getByTestId('vs-page');
  const start = Number(await root.getAttribute('data-start'));
  const end = Number(await root.getAttribute('data-end'));
  const found = await api<{ spans: { startTime: number; references?: unknown[] }[] }[]>(
    `/api/traces?service=frontend&start=${start}&end=${end}&limit=200`,
  );
  const starts = found.map((t) => Math.min(...t.spans.map((s) => s.startTime))).sort((a, b) => a - b);
  const mid = starts[Math.floor(starts.length / 2)];
  const windows = `beforeStart=${start}&beforeEnd=${mid - 1}&afterStart=${mid}&afterEnd=${end}`;
  await page.goto(`${h.base}/value-stream?service=frontend&lookback=1h&${windows}`);
  const result = page.getByTestId('compare-result');
  await result.waitFor();
  const c = await api<Comparison>(`/api/genba/value-stream/compare?service=frontend&${windows}`);
  assert.ok(c.before.traceCount > 0 && c.after.traceCount > 0);

  const figure = (name: string) => result.locator(`[data-testid=compare-row][data-figure="${name}"]`);
  const deltas: [string, Comparison['latencyP95'], 'lower' | 'higher'][] = [
    ['ratio', c.valueAddedRatio, 'higher'],
    ['p95', c.latencyP95, 'lower'],
    ['avg', c.latencyAvg, 'lower'],
    ...CATEGORIES.map((k) => [k, c.categories[k], 'lower'] as [string, Comparison['latencyP95'], 'lower']),
  ];
  for (const [name, d, better] of deltas) {
    const cell = figure(name).getByTestId('delta');
    assert.equal(await cell.getAttribute('data-tone'), deltaTone(d, better), name);
    assert.ok(((await cell.textContent()) ?? '').length > 0, name);
  }
  assert.equal(
    await figure('p95').getByTestId('delta').textContent(),
    `${c.latencyP95.delta > 0 ? '+' : c.latencyP95.delta < 0 ? '−' : ''}${
      Math.round(c.latencyP95.delta) === 0 ? '±0' : formatDuration(Math.abs(c.latencyP95.delta))
    }`,
  );

  const comps = await result
    .getByTestId('compare-component')
    .evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-component'),
        e.querySelector('[data-testid=delta]')?.getAttribute('data-tone'),
      ]),
    );
  assert.deepEqual(
    comps,
    c.components.map((x) => [x.component, deltaTone(x.perTrace, 'lower')]),
  );

  // Improvements are green and regressions red.
  const colors = await result
    .locator('[data-testid=delta][data-tone]')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-tone'), getComputedStyle(e).color]));
  for (const [tone, color] of colors) {
    if (tone === 'better') assert.equal(color, 'rgb(27, 127, 59)');
    if (tone === 'worse') assert.equal(color, 'rgb(198, 40, 40)');
  }
  assert.ok(
    colors.some(([t]) => t !== 'same'),
    'something changed between the halves',
  );
  assert.equal(await page.getByTestId('compare-empty').count(), 0);
  await page.screenshot({ path: '/tmp/genba-ui-vs-compare.png' });

  // Edit a window in the form: the URL carries the new one.
  const input = page.getByTestId('compare-before-start');
  const text = await input.inputValue();
  const earlier = text.replace(
    /T(\d\d)/,
    (_, hh: string) => `T${String((Number(hh) + 23) % 24).padStart(2, '0')}`,
  );
  await input.fill(earlier);
  await page.getByTestId('compare-apply').click();
  await page.waitForFunction(
    (want) => new URL(location.href).searchParams.get('beforeStart') === want,
    String(fromLocalInput(earlier)),
  );
  await result.waitFor();
  await page.getByTestId('compare-reset').click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('beforeStart'));
});

test('value-stream page: anomalies link to their traces, errors are listed, markup stays text', async () => {
  const { page } = h;
  await page.goto(`${h.base}/value-stream?service=${ANOMALY_SVC}&lookback=1h`);
  const item = page.getByTestId('anomaly-item');
  await item.first().waitFor();
  const anomalies = await api<AnomalyItem[]>(`/api/genba/anomalies?service=${ANOMALY_SVC}`);
  assert.deepEqual(
    anomalies.map((a) => a.traceID),
    [slowId],
  );
  assert.equal(await item.count(), 1);
  assert.equal(await item.getAttribute('data-trace-id'), slowId);
  assert.ok(((await item.textContent()) ?? '').includes(XSS_OP));
  assert.ok(((await item.textContent()) ?? '').includes(anomalies[0].reason));

  const error = page.getByTestId('error-item');
  await error.first().waitFor();
  assert.ok(((await error.first().textContent()) ?? '').includes('onerror=alert('));
  await page.getByTestId('vs-page').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.screenshot({ path: '/tmp/genba-ui-vs-anomalies.png' });

  await item.locator('a').first().click();
  await page.getByTestId('trace-page').waitFor();
  assert.equal(await page.getByTestId('trace-id').textContent(), slowId);
  await page.getByTestId('vs-anomaly-badge').waitFor();

  await page.waitForTimeout(300);
  assert.equal(await page.locator('#root img').count(), 0, 'markup from span data was rendered');
  assert.deepEqual(h.dialogs, []);
  assert.deepEqual(h.pageErrors, []);
});
