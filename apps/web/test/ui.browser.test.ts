// The web UI in Debian's Chromium (through playwright-core), against a real Genba server
// started in this process with synthetic traffic from tracegen.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// The part of @genba/server this test uses. The package is loaded by name at run time so that
// `tsc -p apps/web` (DOM typings) does not typecheck the server's Node sources.
type ServerApi = {
  startServer(opts: {
    dataDir: string;
    host?: string;
    anyPort?: boolean;
    logLevel?: 'silent' | 'warn';
  }): Promise<{ urls: { otlpHttp: string; query: string }; close(): Promise<void> }>;
  runTracegen(opts: {
    endpoint: string;
    rate: number;
    durationMs: number;
  }): Promise<{ traces: number; spans: number; traceIds: string[] }>;
};
const SERVER_PACKAGE = '@genba/server';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const XSS = '<img src=x onerror=alert(1)>';
const XSS_NAME = '<img src=y onerror=alert(2)>';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const p of candidates) {
    if (!p) continue;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  throw new Error(
    'Chromium is missing: run `node scripts/ensure-debian-tool.mjs chromium` (or `apt-get install chromium`), ' +
      'or set CHROMIUM_PATH',
  );
}

function hex(bytes: number): string {
  return Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
}

let server: Awaited<ReturnType<ServerApi['startServer']>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let base: string;
let traceIds: string[] = [];
const xssTraceId = hex(16);
const xssSpanId = hex(8);
const dialogs: string[] = [];
const pageErrors: string[] = [];

before(async () => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-web.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `build-web failed:\n${build.stdout}\n${build.stderr}`);

  const { startServer, runTracegen } = (await import(SERVER_PACKAGE)) as ServerApi;
  dataDir = mkdtempSync(join(tmpdir(), 'genba-ui-'));
  server = await startServer({ dataDir, anyPort: true, logLevel: 'warn' });
  base = server.urls.query;

  const gen = await runTracegen({ endpoint: server.urls.otlpHttp, rate: 20, durationMs: 1500 });
  assert.ok(gen.traces > 0, 'tracegen sent no traces');
  traceIds = gen.traceIds;

  // One span whose name and attribute are markup, sent as OTLP/JSON.
  const endNs = BigInt(Date.now()) * 1_000_000n;
  const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
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
      ],
    }),
  });
  assert.equal(res.status, 200, await res.text());

  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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
    const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
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
