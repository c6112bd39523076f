/**
 * `genba demo`: runs the order-demo services against a running `genba serve`, prints progress
 * and a summary, and on Ctrl-C stops them cleanly (every span flushed). A second Ctrl-C kills.
 */
import { request } from 'node:http';
import type { DemoStats, SlowOption } from '@genba/order-demo';
import { parseSlowFlag, startDemo } from '@genba/order-demo';
import { InvalidArgumentError } from 'commander';

export interface DemoCommandOptions {
  endpoint: string;
  rate: number;
  /** ms; 0 runs until Ctrl-C. */
  duration: number;
  seed: number;
  /** `--slow inventory=300ms`: that service takes this much longer on every request. */
  slow?: SlowOption;
}

const PROGRESS_EVERY_MS = 5000;

/** Commander's parser for `--slow SERVICE=DURATION`; the message names the flag and its forms. */
export function slowFlag(text: string): SlowOption {
  try {
    return parseSlowFlag(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function failures(stats: DemoStats): string {
  const reasons = Object.entries(stats.failures).sort((a, b) => b[1] - a[1]);
  return reasons.length === 0 ? '' : ` (${reasons.map(([r, n]) => `${r} ${n}`).join(', ')})`;
}

/** Fails fast, in one line, when nothing listens at the endpoint: every span would be lost. */
function checkEndpoint(endpoint: string): Promise<void> {
  // node:http, as the exporter uses: fetch would refuse ports on its blocked list.
  return new Promise((resolve, reject) => {
    const req = request(endpoint, { method: 'HEAD', timeout: 3000 }, (res) => {
      res.resume();
      resolve();
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `nothing answers at ${endpoint} (${err.code ?? err.message}); start \`genba serve\` first or pass --endpoint`,
        ),
      ),
    );
    req.end();
  });
}

export async function runDemo(o: DemoCommandOptions): Promise<void> {
  await checkEndpoint(o.endpoint);
  let interrupted = false;
  let wake = () => {};
  // Made before the services start, so a Ctrl-C during startup still stops them once up.
  const stopRequested = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const onSigint = () => {
    if (interrupted) {
      console.error('genba demo: interrupted again; killing the services');
      process.exit(130); // the demo's exit hook kills the children
    }
    interrupted = true;
    console.log('genba demo: stopping (Ctrl-C again to kill)');
    wake();
  };
  process.on('SIGINT', onSigint);

  console.log(`genba demo: starting gateway, orders, payments, inventory and shipping (seed ${o.seed})`);
  if (o.slow !== undefined)
    console.log(`genba demo: ${o.slow.service} takes ${o.slow.ms} ms longer on every request (--slow)`);
  const demo = await startDemo({ ...o, log: (line) => console.log(`  ${line}`) }).catch((err: unknown) => {
    process.off('SIGINT', onSigint);
    throw err;
  });
  const span = o.duration === 0 ? 'until Ctrl-C' : `for ${o.duration / 1000} s`;
  console.log(
    `genba demo: ${o.rate} orders/s into ${demo.gatewayUrl}/orders ${span}; spans to ${o.endpoint}`,
  );

  const started = performance.now();
  const s = demo.stats;
  const progress = setInterval(() => {
    const at = Math.round((performance.now() - started) / 1000);
    console.log(`  ${at}s: ${s.sent} sent, ${s.ok} ok, ${s.failed} failed${failures(s)}`);
  }, PROGRESS_EVERY_MS);
  await Promise.race([demo.finished, stopRequested]);
  clearInterval(progress);
  await demo.stop();
  process.off('SIGINT', onSigint);

  console.log(
    `genba demo: ${s.sent} orders sent, ${s.ok} ok, ${s.failed} failed${failures(s)}; ` +
      `round trip mean ${s.meanMs} ms, max ${s.maxMs} ms`,
  );
  console.log(
    `  ${s.spansExported} spans exported, ${s.spansDropped} dropped; open the web UI and pick a service`,
  );
  if (s.spansDropped > 0) process.exitCode = 1;
}
