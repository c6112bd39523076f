/** Runtime controls over what `init()` set up. Each is a no-op (reported once) before init. */
import { context, propagation, trace } from '@opentelemetry/api';
import { reportOnce } from '../diag.ts';
import { emptyExportStats } from '../export/export-stats.ts';
import { ParentBasedSampler } from '../sampling/parent-based.ts';
import { TraceIdRatioBasedSampler } from '../sampling/trace-id-ratio.ts';
import type { ExportStats } from '../types.ts';
import type { ActiveTrace } from './active-traces.ts';
import { getState, setState } from './state.ts';

function state(what: string) {
  const s = getState();
  if (s === undefined) reportOnce(`no-init:${what}`, `${what}() called before init(); ignored`);
  return s;
}

/** Keeps this fraction (0–1) of new traces from now on; children still follow their parent. */
export function setSamplingRate(rate: number): void {
  const s = state('setSamplingRate');
  if (s === undefined) return;
  if (typeof rate !== 'number' || Number.isNaN(rate) || rate < 0 || rate > 1) {
    reportOnce('sampling-rate', `setSamplingRate(${String(rate)}): not a fraction in [0, 1]; ignored`);
    return;
  }
  s.provider.sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(rate) });
}

/** Points the OTLP exporter at another URL. Returns false when there is none or the URL is bad. */
export function setEndpoint(url: string): boolean {
  const exporter = state('setEndpoint')?.exporter as { setEndpoint?: (u: string) => boolean } | undefined;
  if (typeof exporter?.setEndpoint !== 'function') {
    reportOnce('set-endpoint', 'setEndpoint(): the configured exporter has no endpoint');
    return false;
  }
  return exporter.setEndpoint(url);
}

export function getExportStats(): ExportStats {
  return getState()?.processor?.getExportStats() ?? emptyExportStats();
}

/** Traces with spans still open in this process, oldest first. */
export function getActiveTraces(): ActiveTrace[] {
  return getState()?.tracker?.list() ?? [];
}

/** Exports everything finished so far. */
export async function flush(): Promise<void> {
  await getState()?.provider.forceFlush();
}

/** Flushes, stops exporting and forgets the setup, so `init()` may be called again. */
export async function shutdown(): Promise<void> {
  const s = getState();
  if (s === undefined) return;
  setState(undefined);
  await s.provider.shutdown();
  // Release the globals so a later init() can register afresh.
  trace.disable();
  context.disable();
  propagation.disable();
}
