// What a browser test of the UI needs: the built UI, a real Genba server started in this process
// with tracegen traffic, and Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// The part of @genba/server used here. The package is loaded by name at run time so that
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

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export type Harness = {
  /** the query port's URL: the UI and the APIs */
  base: string;
  otlpHttp: string;
  traceIds: string[];
  page: Page;
  /** messages of dialogs the page opened (each dismissed) */
  dialogs: string[];
  pageErrors: string[];
  /** POSTs OTLP/JSON resourceSpans to the server */
  sendOtlpJson(resourceSpans: unknown[]): Promise<void>;
  close(): Promise<void>;
};

export function chromiumPath(): string {
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

export function hex(bytes: number): string {
  return Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
}

export async function startHarness(opts: { rate?: number; durationMs?: number } = {}): Promise<Harness> {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-web.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `build-web failed:\n${build.stdout}\n${build.stderr}`);

  const { startServer, runTracegen } = (await import(SERVER_PACKAGE)) as ServerApi;
  const dataDir = mkdtempSync(join(tmpdir(), 'genba-ui-'));
  let browser: Browser | undefined;
  const server = await startServer({ dataDir, anyPort: true, logLevel: 'warn' });
  const close = async () => {
    await browser?.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const gen = await runTracegen({
      endpoint: server.urls.otlpHttp,
      rate: opts.rate ?? 20,
      durationMs: opts.durationMs ?? 1500,
    });
    assert.ok(gen.traces > 0, 'tracegen sent no traces');

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
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(15_000);
    const dialogs: string[] = [];
    const pageErrors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));

    return {
      base: server.urls.query,
      otlpHttp: server.urls.otlpHttp,
      traceIds: gen.traceIds,
      page,
      dialogs,
      pageErrors,
      async sendOtlpJson(resourceSpans) {
        const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ resourceSpans }),
        });
        assert.equal(res.status, 200, await res.text());
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
