/** The `genba` command line: serve, validate, tracegen, demo, analyze. */

import { parseDuration } from '@genba/model';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type AnalyzeFlags, DEFAULT_SERVER, runAnalyze, type Window } from './analyze/analyze-command.ts';
import { runDemo, slowFlag } from './demo-command.ts';
import { runServe, runValidate, type ServeFlags } from './serve-command.ts';
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

function retention(v: string): string {
  const ns = parseDuration(v);
  if (v !== '0' && (ns === undefined || ns <= 0n))
    throw new InvalidArgumentError('expected a duration such as 7d or 36h, or 0');
  return v;
}

function role(v: string): 'all' | 'router' {
  if (v !== 'all' && v !== 'router') throw new InvalidArgumentError('expected all or router');
  return v;
}

function window(v: string): Window {
  const ns = parseDuration(v);
  if (ns === undefined || ns <= 0n)
    throw new InvalidArgumentError('expected a duration such as 1h, 30m or 2d');
  return { text: v, ns };
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
    .description('run the receivers, the pipeline, the store, the query APIs and the web UI in one process')
    .option('--config <file>', "a YAML config shaped like the OTel Collector's (env GENBA_CONFIG)")
    .option('--data-dir <dir>', 'directory of the embedded store (env GENBA_DATA_DIR; default ./genba-data)')
    .option(
      '--listen <host>',
      'address every default listener binds to (env GENBA_LISTEN; default 127.0.0.1)',
    )
    .option('--otlp-http-port <port>', 'OTLP/HTTP port of the default pipeline', port)
    .option('--query-port <port>', 'web UI and query API port (default 16686)', port)
    .option('--max-body-bytes <n>', 'largest accepted request body, after decompression', positive)
    .option(
      '--storage <where>',
      'embedded, clickhouse://host:8123/db or clickhouse+cluster://h1:8123,h2:8123/db?cluster=NAME (env GENBA_STORAGE)',
    )
    .option(
      '--retention <d>',
      'how long to keep spans, e.g. 7d or 36h; 0 keeps them for ever (default: 7d)',
      retention,
    )
    .option('--role <role>', 'all (store and serve) or router (route spans to --backends by trace id)', role)
    .option('--backends <list>', 'for a router: OTLP/gRPC backends, e.g. host1:4317,host2:4317')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or silent')
    .action((o: ServeFlags) => runServe(o));

  program
    .command('validate')
    .description('check a config file and print every problem with its key path')
    .argument('<file>', 'the YAML config')
    .action(async (file: string) => {
      process.exitCode = await runValidate(file);
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
    .option(
      '--slow <service=duration>',
      'one service takes this much longer on every request, e.g. inventory=300ms (300, 300ms or 1.5s)',
      slowFlag,
    )
    .action(async (o) => {
      const { endpoint, rate, duration, seed, slow } = o;
      await runDemo({ endpoint, rate, duration, seed, slow }).catch((err: Error) => {
        console.error(`genba demo: ${err.message}`);
        process.exit(1);
      });
    });

  program
    .command('analyze')
    .description('print a value-stream report of a trace file, or of a service from a running genba serve')
    .argument('[file]', 'OTLP JSON (ExportTraceServiceRequest) or Jaeger JSON; read, never stored')
    .option('--config <file>', "a Genba config file whose analysis.rules classify the file's spans")
    .option('--service <name>', 'report on this service over --since, asking the server')
    .option('--operation <name>', 'with --service: only this operation')
    .addOption(
      new Option('--since <d>', 'with --service: the window, ending now')
        .argParser(window)
        .default(window('1h'), '1h'),
    )
    .option('--server <url>', 'with --service: the query port of genba serve', DEFAULT_SERVER)
    .option(
      '--compare-before <d>',
      'with --service: compare with the window of this length just before --since',
      window,
    )
    .option('--buckets <n>', 'with --service: time buckets of the ratio over time', integer, 12)
    .option('--json', 'print machine-readable JSON instead of the report')
    .action(async (file: string | undefined, o: AnalyzeFlags) => {
      process.exitCode = await runAnalyze(file, o);
    });

  await program.parseAsync(argv);
}
