/** What `init` set up, shared by the module-level functions of the ergonomic API. */
import type { BatchSpanProcessor } from '../export/batch-span-processor.ts';
import type { TracerProvider } from '../trace/tracer-provider.ts';
import type { SpanExporter } from '../types.ts';
import type { ActiveTraceTracker } from './active-traces.ts';

export interface SdkState {
  provider: TracerProvider;
  exporter: SpanExporter | undefined;
  processor: BatchSpanProcessor | undefined;
  tracker: ActiveTraceTracker | undefined;
}

let current: SdkState | undefined;

export function getState(): SdkState | undefined {
  return current;
}

export function setState(s: SdkState | undefined): void {
  current = s;
}
