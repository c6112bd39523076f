// Worker for ingest.bench.ts: posts pre-encoded OTLP protobuf batches with a fixed concurrency.
// Plain JS because Node 20 workers do not take the tsx loader.
import { parentPort, workerData } from 'node:worker_threads';

const { url, batches, concurrency } = workerData;
let next = 0;
let failed = 0;
async function lane() {
  while (next < batches.length) {
    const body = batches[next++];
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    await res.arrayBuffer();
    if (!res.ok) failed++;
  }
}
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, lane));
parentPort.postMessage({ ms: performance.now() - t0, failed });
