/**
 * Export traffic must never be traced, or every export would produce spans to export. With
 * @opentelemetry/instrumentation-http active, an ordinary request inside a span makes a CLIENT
 * span while the exporter's own request, made from the same span, makes none.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import * as esmHttp from 'node:http';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { emptyResource, emptyScope, emptySpan } from '@genba/model';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter } from '../src/export/in-memory-exporter.ts';
import { OtlpHttpExporter } from '../src/export/otlp-http-exporter.ts';
import { SimpleSpanProcessor } from '../src/export/simple-span-processor.ts';
import { TracerProvider } from '../src/trace/tracer-provider.ts';
import { ExportResultCode } from '../src/types.ts';

const memory = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor(memory);
const provider = new TracerProvider({
  resource: { 'service.name': 'untraced' },
  spanProcessors: [processor],
}).register();
registerInstrumentations({
  tracerProvider: provider,
  // Only the client side matters here; the in-process test server's spans would be noise.
  instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: () => true })],
});
// The instrumentation patches CommonJS `http` on require; sync so that ESM importers such as
// the exporter see the patched functions too, as they would under the ESM loader hook.
createRequire(import.meta.url)('node:http');
syncBuiltinESMExports();

after(async () => {
  await processor.shutdown();
});

test('the exporter request is not traced; an ordinary one in the same span is', async () => {
  const paths: string[] = [];
  const server = esmHttp.createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const exporter = new OtlpHttpExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
  const data = emptySpan(emptyResource(), emptyScope());
  data.traceId = '11'.repeat(16);
  data.spanId = '22'.repeat(8);
  data.name = 'exported';
  try {
    const tracer = provider.getTracer('untraced-test');
    await tracer.startActiveSpan('work', async (span) => {
      await new Promise<IncomingMessage>((resolve, reject) =>
        esmHttp
          .get(`http://127.0.0.1:${port}/control`, (res) => res.resume().on('end', () => resolve(res)))
          .on('error', reject),
      );
      const r = await exporter.export([data]);
      assert.equal(r.code, ExportResultCode.SUCCESS, r.error?.message);
      span.end();
    });
  } finally {
    await exporter.shutdown();
    server.close();
  }
  await processor.forceFlush();
  assert.deepEqual(paths, ['/control', '/v1/traces'], 'both requests reached the server');
  const spans = memory.getFinishedSpans();
  const clients = spans.filter((s) => s.kind === 3);
  const mentions = (s: (typeof spans)[number], text: string) =>
    Object.values(s.attributes).some((v) => typeof v === 'string' && v.includes(text));
  assert.equal(clients.filter((s) => mentions(s, '/control')).length, 1, 'the instrumentation is active');
  assert.deepEqual(
    clients.filter((s) => mentions(s, '/v1/traces')).map((s) => s.name),
    [],
    'no span for the export request',
  );
});
