/**
 * OTLP codec throughput: Genba's hand-written codec against the peers in the same process, on
 * batches of 512 spans made by the real OTel JS SDK (6 attributes and 1 event per span).
 *   protobuf encode: @opentelemetry/otlp-transformer ProtobufTraceSerializer (what OTel JS exporters use)
 *   protobuf decode: protobufjs 8 reflection decoder (the transformer has no request decoder)
 *   JSON encode:     @opentelemetry/otlp-transformer JsonTraceSerializer (both sides produce UTF-8 bytes)
 *   JSON decode:     JSON.parse alone, a lower bound for any decoder that builds objects
 * Run: node --import tsx bench/otlp-codec.bench.ts
 */
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeTraceRequest,
  encodeTraceRequestJson,
} from '@genba/otlp';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { Bench } from 'tinybench';
import { RequestType } from '../packages/otlp/test/helpers/oracle.ts';
import { sdkSpans } from '../packages/otlp/test/helpers/sdk-spans.ts';

const BATCH = 512;
const TARGET_ENCODE = 1_500_000;

export async function main(): Promise<void> {
  const sdk = sdkSpans(BATCH);
  const protobuf = ProtobufTraceSerializer.serializeRequest(sdk)!;
  const spans = decodeTraceRequest(protobuf);
  const jsonBytes = JsonTraceSerializer.serializeRequest(sdk)!;
  const json = new TextDecoder().decode(jsonBytes);
  const utf8 = new TextEncoder();
  if (spans.length !== BATCH) throw new Error(`expected ${BATCH} spans, got ${spans.length}`);

  const pairs: [string, () => unknown, string, () => unknown][] = [
    [
      'protobuf encode',
      () => encodeTraceRequest(spans),
      'otlp-transformer',
      () => ProtobufTraceSerializer.serializeRequest(sdk),
    ],
    ['protobuf decode', () => decodeTraceRequest(protobuf), 'protobufjs', () => RequestType.decode(protobuf)],
    [
      'JSON encode',
      () => utf8.encode(encodeTraceRequestJson(spans)),
      'otlp-transformer',
      () => JsonTraceSerializer.serializeRequest(sdk),
    ],
    ['JSON decode', () => decodeTraceRequestJson(json), 'JSON.parse only', () => JSON.parse(json)],
  ];
  const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 1500), warmupTime: 300 });
  for (const [what, ours, peer, theirs] of pairs) {
    bench.add(`genba ${what}`, ours);
    bench.add(`${peer} ${what}`, theirs);
  }
  await bench.run();

  const rate = (name: string) => {
    const r = bench.getTask(name)?.result;
    if (!r || r.latency.mean === 0) throw new Error(`no result for ${name}`);
    return (BATCH * 1000) / r.latency.mean; // latency is in ms per batch
  };
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const rows = pairs.map(([what, , peer]) => {
    const g = rate(`genba ${what}`);
    const p = rate(`${peer} ${what}`);
    return {
      what,
      'genba spans/s': fmt(g),
      peer,
      'peer spans/s': fmt(p),
      'ratio (genba ÷ peer)': (g / p).toFixed(2),
    };
  });
  console.log(
    `OTLP codec, batches of ${BATCH} spans (${protobuf.length} B protobuf, ${jsonBytes.length} B JSON), node ${process.version}`,
  );
  console.table(rows);
  const encode = rate('genba protobuf encode');
  console.log(
    `protobuf encode target ≥ ${fmt(TARGET_ENCODE)} spans/s: ${encode >= TARGET_ENCODE ? 'met' : 'NOT met'} (${fmt(encode)})`,
  );
}

await main();
