// Runs in a worker thread: loads tsx so it can import the SDK's TypeScript, sets the SDK up
// with an in-memory exporter, continues the trace from the carrier it is given, and posts the
// spans it recorded back.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const sdk = await import('../../src/index.ts');
const memory = new sdk.InMemorySpanExporter();
sdk.init({ serviceName: 'worker', exporter: memory, logLevel: 'none' });
await sdk.withPropagatedContext(workerData.carrier, () =>
  sdk.withSpan('worker-job', async () => {
    await new Promise((r) => setTimeout(r, 1));
  }),
);
await sdk.flush();
parentPort.postMessage(
  memory.getFinishedSpans().map((s) => ({ name: s.name, traceId: s.traceId, parentSpanId: s.parentSpanId })),
);
await sdk.shutdown();
