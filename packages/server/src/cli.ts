/** The `genba` command line: serve, tracegen, demo. */

import { parseDuration } from '@genba/model';
import { Command, InvalidArgumentError } from 'commander';
import { runDemo } from './demo-command.ts';
import { startServer } from './start-server.ts';
import { runTracegen } from './tracegen/index.ts';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a port number 0–65535');
  return n;
}

function positive(v: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

function days(v: string): number {
  if (v === '0') return 0;
  const ns = parseDuration(v);
  if (ns === undefined || ns <= 0n)
    throw new InvalidArgumentError('expected a duration such as 7d or 36h, or 0');
  return Number(ns) / 86_400e9;
}

function millis(v: string): number {
  const ns = parseDuration(v);
  if (ns === undefined) throw new InvalidArgumentError('expected a duration such as 10s, 500ms or 2m');
  return Number(ns / 1_000_000n);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('genba').description('Genba: distributed tracing with value-stream analysis');

  program
    .command('serve')
    .description('run the receivers, the store, the query APIs and the web UI in one process')
    .option(
      '--data-dir <dir>',
      'directory of the embedded store',
      process.env.GENBA_DATA_DIR ?? './genba-data',
    )
    .option('--listen <host>', 'address to bind every listener to', process.env.GENBA_LISTEN ?? '127.0.0.1')
    .option('--otlp-http-port <port>', 'OTLP/HTTP receiver port', port, 4318)
    .option('--query-port <port>', 'web UI and query API port', port, 16686)
    .option(
      '--max-body-bytes <n>',
      'largest accepted request body, after decompression',
      positive,
      16 * 1024 * 1024,
    )
    .option(
      '--storage <where>',
      'embedded, clickhouse://host:8123/db or clickhouse+cluster://h1:8123,h2:8123/db?cluster=NAME',
      process.env.GENBA_STORAGE ?? 'embedded',
    )
    .option(
      '--retention <d>',
      'how long to keep spans, e.g. 7d or 36h; 0 keeps them for ever (default: 7d)',
      days,
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'warn')
    .action(async (o) => {
      const server = await startServer({
        dataDir: o.dataDir,
        host: o.listen,
        otlpHttpPort: o.otlpHttpPort,
        queryPort: o.queryPort,
        maxBodyBytes: o.maxBodyBytes,
        storage: o.storage,
        retentionDays: o.retention ?? 7,
        logLevel: o.logLevel,
      }).catch((err: NodeJS.ErrnoException & { address?: string; port?: number }) => {
        // Say what went wrong in one line; a stack trace helps nobody who only ran `npm start`.
        if (err.code === 'EADDRINUSE')
          console.error(
            `genba serve: ${err.address}:${err.port} is already in use; pick another port with the flags in --help`,
          );
        else console.error(`genba serve: ${err.message}`);
        process.exit(1);
      });
      console.log(
        `genba serve: store ${o.storage === 'embedded' ? `in ${o.dataDir}` : `at ${o.storage.replace(/\/\/[^@/]*@/, '//')}`}, keeping spans ${(o.retention ?? 7) ? `${o.retention ?? 7} days` : 'for ever'}`,
      );
      console.log(`  web UI and Jaeger API  ${server.urls.query}/`);
      console.log(`  OTLP/HTTP              ${server.urls.otlpHttp}/v1/traces`);
      console.log(`  metrics                ${server.urls.query}/metrics`);
      const stop = async () => {
        console.log('genba serve: shutting down');
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('tracegen')
    .description('send synthetic multi-service traces as OTLP protobuf, like OpenTelemetry tracegen')
    .option('--endpoint <url>', 'OTLP/HTTP base URL', 'http://127.0.0.1:4318')
    .option('--rate <n>', 'traces per second', positive, 100)
    .option('--duration <d>', 'how long to send, e.g. 10s', millis, 10_000)
    .action(async (o) => {
      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      const r = await runTracegen({
        endpoint: o.endpoint,
        rate: o.rate,
        durationMs: o.duration,
        signal: ac.signal,
      });
      console.log(
        `tracegen: sent ${r.traces} traces, ${r.spans} spans to ${o.endpoint} (${r.failed} failed)`,
      );
      if (r.failed > 0) process.exitCode = 1;
    });

  program
    .command('demo')
    .description('run a five-service order system, traced with @genba/sdk, against a running genba serve')
    .option('--endpoint <url>', 'OTLP/HTTP base URL the services export to', 'http://127.0.0.1:4318')
    .option('--rate <n>', 'orders per second', positive, 5)
    .option('--duration <d>', 'how long to send, e.g. 60s; 0 runs until Ctrl-C', millis, 60_000)
    .option('--seed <n>', 'seed of the orders and their faults; a seed replays a run', integer, 1)
    .action(async (o) => {
      await runDemo({ endpoint: o.endpoint, rate: o.rate, duration: o.duration, seed: o.seed }).catch(
        (err: Error) => {
          console.error(`genba demo: ${err.message}`);
          process.exit(1);
        },
      );
    });

  await program.parseAsync(argv);
}
