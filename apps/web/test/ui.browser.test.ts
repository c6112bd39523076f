// The web UI in Debian's Chromium (through playwright-core), against a real Genba server
// started in this process with synthetic traffic from tracegen (test/support/browser-harness.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type Harness, hex, startHarness } from './support/browser-harness.ts';

const XSS = '<img src=x onerror=alert(1)>';
const XSS_NAME = '<img src=y onerror=alert(2)>';

let harness: Harness;
let page: Page;
let base: string;
let traceIds: string[] = [];
let dialogs: string[] = [];
let pageErrors: string[] = [];
const xssTraceId = hex(16);
const xssSpanId = hex(8);

before(async () => {
  harness = await startHarness();
  ({ page, base, traceIds, dialogs, pageErrors } = harness);

  // One span whose name and attribute are markup, sent as OTLP/JSON.
  const endNs = BigInt(Date.now()) * 1_000_000n;
  await harness.sendOtlpJson([
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'xss-svc' } }] },
      scopeSpans: [
        {
          scope: { name: 't' },
          spans: [
            {
              traceId: xssTraceId,
              spanId: xssSpanId,
              name: XSS_NAME,
              kind: 2,
              startTimeUnixNano: String(endNs - 5_000_000n),
              endTimeUnixNano: String(endNs),
              attributes: [{ key: 'evil', value: { stringValue: XSS } }],
            },
          ],
        },
      ],
    },
  ]);
});

after(async () => {
  await harness?.close();
});

async function selectService(name: string): Promise<void> {
  const select = page.getByTestId('service-select');
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('[data-testid=service-select] option')].some((o) => o.textContent === n),
    name,
  );
  await select.selectOption(name);
}

test('search: pick a service, find traces, see the results', async () => {
  await page.goto(`${base}/`);
  await page.getByTestId('search-form').waitFor();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=service-select] option').length > 1,
  );
  const services = await page.getByTestId('service-select').locator('option').allTextContents();
  assert.ok(services.includes('frontend'), `services: ${services.join(', ')}`);
  assert.ok(services.includes('xss-svc'));

  await selectService('frontend');
  await page.getByTestId('find-button').click();
  await page.getByTestId('result-item').first().waitFor();
  assert.match(page.url(), /\/search\?service=frontend&/);
  const count = await page.getByTestId('result-item').count();
  assert.ok(count > 0 && count <= 20, `results: ${count}`);
  const first = page.getByTestId('result-item').first();
  assert.ok((await first.getByTestId('result-title').textContent())?.includes(':'));
  assert.match((await first.getByTestId('result-span-count').textContent()) ?? '', /^\d+ spans?$/);
  assert.match((await first.getByTestId('result-duration').textContent()) ?? '', /\d(µs|ms|s)/);
  await page.screenshot({ path: '/tmp/genba-ui-search.png' });
});

test('trace page: waterfall rows, collapse and expand, span detail', async () => {
  const first = page.getByTestId('result-item').first();
  const traceId = await first.getAttribute('data-trace-id');
  const spanText = (await first.getByTestId('result-span-count').textContent()) ?? '';
  await first.locator('a').click();
  await page.getByTestId('trace-page').waitFor();
  assert.ok(page.url().endsWith(`/trace/${traceId}`), page.url());
  assert.equal(
    `${await page.getByTestId('trace-span-count').textContent()} spans`,
    spanText.replace(/ span$/, ' spans'),
  );

  const rows = page.getByTestId('waterfall-row');
  await rows.first().waitFor();
  const total = Number(await page.getByTestId('trace-span-count').textContent());
  assert.equal(await rows.count(), Math.min(total, await rows.count()));
  assert.ok((await rows.count()) > 0);
  assert.equal(await rows.first().getAttribute('data-depth'), '0');

  // Collapse the root's subtree, then expand it again.
  const before = await rows.count();
  if (total > 1) {
    await rows.first().getByTestId('row-toggle').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=waterfall-row]').length === 1);
    await rows.first().getByTestId('row-toggle').click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=waterfall-row]').length === n,
      before,
    );
  }

  // Open the last visible row's detail.
  const row = rows.nth(Math.min(before, total) - 1);
  const spanId = await row.getAttribute('data-span-id');
  await row.click();
  const detail = page.getByTestId('span-detail');
  await detail.waitFor();
  assert.equal(await detail.getByTestId('span-detail-span-id').textContent(), spanId);
  assert.ok(((await detail.getByTestId('span-detail-operation').textContent()) ?? '').length > 0);
  assert.ok((await detail.getByTestId('span-tags').locator('tr').count()) > 0, 'the span has tags');
  assert.ok((await detail.getByTestId('process-tags').locator('tr').count()) > 0, 'the process has tags');
  assert.ok(page.url().includes(`span=${spanId}`));
  await page.screenshot({ path: '/tmp/genba-ui-trace.png' });

  // The selected span survives a reload: the URL is the state.
  await page.reload();
  await page.getByTestId('span-detail').waitFor();
  assert.equal(await page.getByTestId('span-detail-span-id').textContent(), spanId);
});

test('lookup by trace id, and an unknown id', async () => {
  await page.goto(`${base}/search`);
  await page.getByTestId('trace-lookup-input').fill(` ${traceIds[0].toUpperCase()} `);
  await page.getByTestId('trace-lookup-button').click();
  await page.getByTestId('trace-page').waitFor();
  assert.equal(await page.getByTestId('trace-id').textContent(), traceIds[0]);

  await page.goto(`${base}/trace/${'0'.repeat(31)}1`);
  await page.getByTestId('trace-not-found').waitFor();
});

test('a 20k-span trace renders only the rows in view', async () => {
  const n = 20_000;
  const traceId = hex(16);
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const startNs = endNs - 2_000_000_000n;
  const id = (i: number) => (i + 1).toString(16).padStart(16, '0');
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId,
    spanId: id(i),
    parentSpanId: i === 0 ? undefined : id(Math.floor((i - 1) / 4)),
    name: i === 0 ? 'big-root' : `work-${i % 97}`,
    kind: 1,
    startTimeUnixNano: String(startNs + BigInt(i) * 50_000n),
    endTimeUnixNano: String(i === 0 ? endNs : startNs + BigInt(i) * 50_000n + 40_000n),
  }));
  for (let i = 0; i < n; i += 5_000) {
    const res = await fetch(`${harness.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'big-svc' } }] },
            scopeSpans: [{ scope: { name: 't' }, spans: spans.slice(i, i + 5_000) }],
          },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.text());
  }

  const started = Date.now();
  await page.goto(`${base}/trace/${traceId}`);
  await page.getByTestId('waterfall-row').first().waitFor({ timeout: 60_000 });
  console.log(`20k-span trace: first rows after ${Date.now() - started} ms (fetch included)`);
  assert.equal(await page.getByTestId('trace-span-count').textContent(), String(n));
  const rows = page.getByTestId('waterfall-row');
  assert.ok((await rows.count()) < 200, `rendered ${await rows.count()} rows`);

  const scroller = page.getByTestId('waterfall-scroll');
  await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  // The last row of the pre-order walk is now rendered.
  await page.waitForFunction(
    (last) => document.querySelector(`[data-testid=waterfall-row][data-row="${last}"]`) !== null,
    n - 1,
  );
  assert.ok((await rows.count()) < 200);

  await page.getByTestId('collapse-all').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=waterfall-row]').length === 1);
  assert.equal(await page.getByTestId('waterfall-count').textContent(), `1 of ${n} spans shown`);
});

test('span data is shown as text, never as markup', async () => {
  await page.goto(`${base}/trace/${xssTraceId}?span=${xssSpanId}`);
  const detail = page.getByTestId('span-detail');
  await detail.waitFor();
  const evil = detail.getByTestId('span-tags').locator('tr', { hasText: 'evil' }).getByTestId('tag-value');
  assert.equal(await evil.textContent(), XSS);
  assert.equal(await detail.getByTestId('span-detail-operation').textContent(), XSS_NAME);
  assert.ok(((await page.getByTestId('waterfall-row').first().textContent()) ?? '').includes(XSS_NAME));
  await page.screenshot({ path: '/tmp/genba-ui-xss.png' });

  await page.goto(`${base}/search`);
  await selectService('xss-svc');
  await page.getByTestId('find-button').click();
  const item = page.getByTestId('result-item').first();
  await item.waitFor();
  assert.ok(((await item.getByTestId('result-title').textContent()) ?? '').includes(XSS_NAME));

  await page.waitForTimeout(300);
  assert.equal(await page.locator('#root img').count(), 0, 'markup from span data was rendered');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
});
