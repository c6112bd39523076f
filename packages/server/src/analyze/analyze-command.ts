/**
 * `genba analyze`: a value-stream report of a trace file (read, never stored), or of a service
 * over a window, asked of a running server. Bad input prints one line and exits 1.
 */
import type { Rule } from '@genba/analysis';
import { DEFAULT_RULES, parseAnalysisConfig } from '@genba/analysis';
import { ConfigError, readConfigFile } from '@genba/collector';
import { nowNanos } from '@genba/model';
import { analyzeTraces, fileAnalysisJson } from './analyze-file.ts';
import { getGenba } from './api-client.ts';
import { AnalyzeInputError, readTraceFile } from './read-trace-file.ts';
import type { ComparisonAnswer, ValueStreamAnswer } from './stream-report.ts';
import { comparisonReport, valueStreamReport } from './stream-report.ts';
import { fileReport } from './trace-report.ts';

export interface AnalyzeFlags {
  config?: string;
  service?: string;
  operation?: string;
  since: Window;
  server: string;
  compareBefore?: Window;
  buckets: number;
  json?: boolean;
}

/** A window length as typed (for the report) and in ns. */
export interface Window {
  text: string;
  ns: bigint;
}

export const DEFAULT_SERVER = 'http://127.0.0.1:16686';

/** `analysis.rules` of a Genba config file; the defaults without one. */
export async function rulesFrom(file: string | undefined): Promise<readonly Rule[]> {
  if (file === undefined) return DEFAULT_RULES;
  const raw = await readConfigFile(file);
  const section =
    typeof raw === 'object' && raw !== null ? (raw as { analysis?: unknown }).analysis : undefined;
  try {
    return parseAnalysisConfig(section).rules;
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n'), file);
  }
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function analyzeFile(file: string, o: AnalyzeFlags): Promise<void> {
  const rules = await rulesFrom(o.config);
  const { traces } = await readTraceFile(file);
  const result = analyzeTraces(traces, rules);
  if (result.traces.length === 0) throw new AnalyzeInputError(`${file}: no trace has a root span to analyse`);
  print(o.json ? JSON.stringify(fileAnalysisJson(result), null, 2) : fileReport(result, file));
}

async function analyzeService(o: AnalyzeFlags): Promise<void> {
  const service = o.service as string;
  const end = nowNanos() / 1000n;
  const start = end - o.since.ns / 1000n;
  const scope = { service, operation: o.operation };
  const stream = await getGenba<ValueStreamAnswer>(o.server, '/api/genba/value-stream', {
    ...scope,
    start,
    end,
    buckets: o.buckets,
  });
  let comparison: ComparisonAnswer | undefined;
  if (o.compareBefore !== undefined)
    comparison = await getGenba<ComparisonAnswer>(o.server, '/api/genba/value-stream/compare', {
      ...scope,
      beforeStart: start - o.compareBefore.ns / 1000n,
      beforeEnd: start,
      afterStart: start,
      afterEnd: end,
    });
  if (o.json) {
    print(
      JSON.stringify(
        comparison === undefined ? stream : { valueStream: stream, compare: comparison },
        null,
        2,
      ),
    );
    return;
  }
  const lines = valueStreamReport(stream, o.since.text);
  if (comparison !== undefined && o.compareBefore !== undefined)
    lines.push(
      '',
      ...comparisonReport(comparison, `the ${o.compareBefore.text} before`, `the last ${o.since.text}`),
    );
  print(lines.join('\n'));
}

/** Runs the command; resolves to the exit code. */
export async function runAnalyze(file: string | undefined, o: AnalyzeFlags): Promise<number> {
  try {
    if (file !== undefined && o.service !== undefined)
      throw new AnalyzeInputError('give either a trace file or --service, not both');
    if (file !== undefined && (o.operation !== undefined || o.compareBefore !== undefined))
      throw new AnalyzeInputError('--operation and --compare-before need --service, not a trace file');
    if (file !== undefined) await analyzeFile(file, o);
    else if (o.service !== undefined) {
      if (o.config !== undefined)
        throw new AnalyzeInputError(
          '--config applies to a trace file; with --service the server classifies with its own analysis.rules',
        );
      await analyzeService(o);
    } else throw new AnalyzeInputError('give a trace file (genba analyze trace.json) or --service NAME');
    return 0;
  } catch (err) {
    if (err instanceof AnalyzeInputError || err instanceof ConfigError) {
      console.error(`genba analyze: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
