/**
 * @genba/sdk against @opentelemetry/sdk-trace-base 2.12 on the SDK rows of DESIGN §6. Each SDK
 * runs in its own process (bench/sdk-peer.ts), one after the other, in this one run.
 * Run: node --import tsx --expose-gc bench/sdk.bench.ts
 */
import { spawnSync } from 'node:child_process';

interface Figures {
  sampled: number;
  nested: number;
  unsampled: number;
  heapPerSpan: number;
  encodeSpansPerSec: number;
}

const SCENARIOS = ['sampled', 'nested', 'unsampled', 'heapPerSpan', 'encodeSpansPerSec'] as const;

/** One process per SDK and scenario: no scenario warms, or pollutes the call sites of, another. */
function run(which: 'genba' | 'otel'): Figures {
  const out: Partial<Figures> = {};
  for (const scenario of SCENARIOS) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', 'bench/sdk-peer.ts', which, scenario],
      {
        cwd: new URL('..', import.meta.url).pathname,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`${which} ${scenario} failed:\n${r.stderr}`);
    Object.assign(out, JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}'));
  }
  return out as Figures;
}

const genba = run('genba');
const otel = run('otel');

const rows: [string, keyof Figures, string, number, 'lower' | 'higher'][] = [
  ['sampled span: start + 3 attributes + end', 'sampled', 'ns', 300, 'lower'],
  ['nested active spans (AsyncLocalStorage), per span', 'nested', 'ns', 700, 'lower'],
  ['unsampled span: start + 3 attributes + end', 'unsampled', 'ns', 60, 'lower'],
  ['heap per live span (3 attributes)', 'heapPerSpan', 'B', 250, 'lower'],
  [
    "OTLP protobuf encode, from the SDK's finished spans",
    'encodeSpansPerSec',
    'spans/s',
    1_500_000,
    'higher',
  ],
];
const fmt = (n: number) => (n >= 10_000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
console.log(
  'SDK cost: @genba/sdk vs @opentelemetry/sdk-trace-base 2.12, each scenario of each SDK in its own process\n',
);
console.log(['what', 'genba', 'otel', 'ratio', 'target', 'met'].join(' | '));
for (const [label, key, unit, target, better] of rows) {
  const g = genba[key];
  const o = otel[key];
  const ratio = better === 'lower' ? o / g : g / o;
  const met = better === 'lower' ? g <= target : g >= target;
  console.log(
    `${label} | ${fmt(g)} ${unit} | ${fmt(o)} ${unit} | ${ratio.toFixed(2)}x ${better === 'lower' ? 'cheaper' : 'faster'} | ${better === 'lower' ? '≤' : '≥'} ${fmt(target)} | ${met ? 'yes' : 'NO'}`,
  );
}
