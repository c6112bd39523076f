/**
 * Reads a trace file for `genba analyze` without storing it: OTLP JSON (an
 * ExportTraceServiceRequest) or Jaeger JSON (the API envelope, a bare trace or an array of
 * traces), told apart by shape. Every problem is an AnalyzeInputError naming the file.
 */
import { readFile } from 'node:fs/promises';
import type { Span } from '@genba/model';
import { decodeTraceRequestJson } from '@genba/otlp';
import { fromJaegerJson } from '@genba/query';

export type TraceFormat = 'otlp' | 'jaeger';

export interface TraceFile {
  format: TraceFormat;
  /** Spans grouped by trace id, traces in order of first appearance. */
  traces: Span[][];
}

/** Bad input rather than a bug: the command prints the message alone, without a stack. */
export class AnalyzeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyzeInputError';
  }
}

const EXPECTED =
  'expected OTLP JSON (an ExportTraceServiceRequest: {"resourceSpans": [...]}) or Jaeger JSON ' +
  '({"data": [traces]}, one trace {"traceID", "spans", "processes"} or an array of traces)';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which reader a parsed document needs, or undefined when it is neither. */
export function detectFormat(doc: unknown): TraceFormat | undefined {
  if (isRecord(doc) && ('resourceSpans' in doc || 'resource_spans' in doc)) return 'otlp';
  if (Array.isArray(doc) || (isRecord(doc) && ('data' in doc || 'spans' in doc))) return 'jaeger';
  return undefined;
}

export function groupByTrace(spans: readonly Span[]): Span[][] {
  const byId = new Map<string, Span[]>();
  for (const s of spans) {
    let list = byId.get(s.traceId);
    if (list === undefined) {
      list = [];
      byId.set(s.traceId, list);
    }
    list.push(s);
  }
  return [...byId.values()];
}

/** Parses file text already read; `name` is how messages refer to the file. */
export function parseTraceText(text: string, name: string): TraceFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.replace(/\s+/g, ' ');
    throw new AnalyzeInputError(`${name} is not JSON (${why}); ${EXPECTED}`);
  }
  const format = detectFormat(doc);
  if (format === undefined) throw new AnalyzeInputError(`${name} is not a trace file: ${EXPECTED}`);
  let spans: Span[];
  try {
    spans = format === 'otlp' ? decodeTraceRequestJson(text) : fromJaegerJson(doc);
  } catch (err) {
    const kind = format === 'otlp' ? 'OTLP JSON' : 'Jaeger JSON';
    throw new AnalyzeInputError(`${name} is not valid ${kind}: ${(err as Error).message}`);
  }
  if (spans.length === 0) throw new AnalyzeInputError(`${name} holds no spans`);
  return { format, traces: groupByTrace(spans) };
}

export async function readTraceFile(path: string): Promise<TraceFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new AnalyzeInputError(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  return parseTraceText(text, path);
}
