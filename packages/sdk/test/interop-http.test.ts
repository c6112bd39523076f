/**
 * The SDK as the global provider under a real OTel instrumentation: @opentelemetry/instrumentation-http
 * on a real server and client over loopback, mixed with the SDK's own spans, in one trace.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { flush, InMemorySpanExporter, init, propagateContext, shutdown, withSpan } from '../src/index.ts';

const memory = new InMemorySpanExporter();
const provider = init({ serviceName: 'interop', exporter: memory, logLevel: 'none' });
registerInstrumentations({ tracerProvider: provider, instrumentations: [new HttpInstrumentation()] });
// The instrumentation patches CommonJS `http` when it is required, so load it that way.
const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');

after(() => shutdown());

test('instrumentation-http spans and SDK spans form one correct trace', async () => {
  const server = http.createServer((req, res) => {
    withSpan('handle-order', { 'order.id': String(req.url) }, () => {
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const body = await withSpan('checkout', async () => {
      const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
        http.get(`http://127.0.0.1:${port}/o-7`, resolve).on('error', reject),
      );
      let text = '';
      for await (const chunk of res) text += chunk;
      return text;
    });
    assert.equal(body, 'ok');
  } finally {
    server.close();
  }
  // The server span ends after the response is sent; give it a moment, then flush.
  await new Promise((r) => setTimeout(r, 20));
  await flush();
  const spans = memory.getFinishedSpans();
  const find = (pred: (s: (typeof spans)[number]) => boolean, what: string) => {
    const s = spans.find(pred);
    assert.ok(s, `${what} among ${spans.map((x) => `${x.name}/${x.kind}`).join(', ')}`);
    return s;
  };
  if (process.env.DEBUG_SPANS)
    console.log(spans.map((s) => [s.name, s.kind, s.traceId, s.spanId, s.parentSpanId]));
  const checkout = find((s) => s.name === 'checkout', 'checkout');
  const client = find((s) => s.kind === 3, 'the CLIENT span from instrumentation-http');
  const serverSpan = find((s) => s.kind === 2, 'the SERVER span from instrumentation-http');
  const handler = find((s) => s.name === 'handle-order', 'handle-order');
  for (const s of [client, serverSpan, handler])
    assert.equal(s.traceId, checkout.traceId, `${s.name} in the trace`);
  assert.equal(client.parentSpanId, checkout.spanId);
  assert.equal(serverSpan.parentSpanId, client.spanId, 'the server continued the propagated context');
  assert.equal(handler.parentSpanId, serverSpan.spanId);
  assert.equal(handler.attributes['order.id'], '/o-7');
  assert.equal(serverSpan.flags & 0x300, 0x300, 'the server span has a remote parent');
  assert.equal(client.scope.name, '@opentelemetry/instrumentation-http');
  assert.equal(client.attributes['http.method'] ?? client.attributes['http.request.method'], 'GET');
  // No export traffic in the trace: every span is one of the four.
  assert.equal(spans.filter((s) => s.traceId === checkout.traceId).length, 4);
});

test('a worker thread continues the trace through propagateContext', async () => {
  const [parentId, traceId, spans] = await withSpan('dispatch', async (span) => {
    const worker = new Worker(new URL('./support/worker-child.mjs', import.meta.url), {
      workerData: { carrier: propagateContext() },
    });
    const [msg] = (await once(worker, 'message')) as [
      { name: string; traceId: string; parentSpanId: string }[],
    ];
    await once(worker, 'exit');
    return [span.spanContext().spanId, span.spanContext().traceId, msg] as const;
  });
  assert.deepEqual(spans, [{ name: 'worker-job', traceId, parentSpanId: parentId }]);
});
