/**
 * The service-graph part of the conformance suite: edges, counts, and the P50/P95 of child calls
 * (fixtures/dependency-latency.json), checked on every backend.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { StatusCode } from '@genba/model';
import type { DependencyLink, Storage } from '../src/index.ts';

const MS = 1_000_000n;
const MINUTE = 60_000n * MS;

export interface ExpectedLink {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  durationSumNs: string;
  p50Ms: number;
  p95Ms: number;
}

export interface Tolerance {
  relative: number;
  absoluteNs: number;
}

interface LatencyFixture {
  templates: Record<string, string>;
  startMinute: string;
  windowMinutes: [number, number];
  tolerance: Tolerance;
  groups: {
    parent: string;
    child: string;
    minute: number;
    errors: number;
    durationsMs: number[];
  }[];
  expect: ExpectedLink[];
}

const latencyFixture = (): LatencyFixture =>
  JSON.parse(readFileSync(new URL('./fixtures/dependency-latency.json', import.meta.url), 'utf8'));

/** Counts exactly, quantiles within the tolerance of the exact nearest-rank values. */
export function assertLinks(got: DependencyLink[], want: ExpectedLink[], tol: Tolerance): void {
  assert.deepEqual(
    got.map((l) => [l.parent, l.child, l.callCount, l.errorCount, l.durationSumNano]),
    want.map((w) => [w.parent, w.child, w.calls, w.errors, BigInt(w.durationSumNs)]),
  );
  for (const [i, w] of want.entries()) {
    for (const [q, exact] of [
      ['p50Nano', w.p50Ms * 1e6],
      ['p95Nano', w.p95Ms * 1e6],
    ] as const) {
      const value = got[i][q];
      assert.equal(typeof value, 'number');
      assert.ok(
        Math.abs(value - exact) <= tol.relative * exact + tol.absoluteNs,
        `${w.parent} → ${w.child} ${q}: ${value} is not within ${(tol.relative * 100).toFixed(1)} % of ${exact}`,
      );
    }
  }
}

/** One call: a parent span of `parent`'s template and a child of `child`'s that lasts `durationNs`. */
function call(
  templates: Map<string, Span>,
  g: { parent: string; child: string },
  traceId: string,
  n: number,
  start: bigint,
  durationNs: bigint,
  error: boolean,
): Span[] {
  const parentId = `e${n.toString(16).padStart(14, '0')}`;
  const p = templates.get(g.parent)!;
  const c = templates.get(g.child)!;
  const at = { traceId, startTimeUnixNano: start };
  return [
    { ...p, ...at, spanId: `${parentId}0`, parentSpanId: '', endTimeUnixNano: start + durationNs + 2n * MS },
    {
      ...c,
      ...at,
      spanId: `${parentId}1`,
      parentSpanId: `${parentId}0`,
      startTimeUnixNano: start + MS,
      endTimeUnixNano: start + MS + durationNs,
      status: error ? { code: StatusCode.ERROR, message: 'failed' } : { code: StatusCode.UNSET, message: '' },
    },
  ];
}

/** Registers the dependency tests in the current describe; `store()` is the store under test. */
export function dependencyConformance(store: () => Storage, fixture: Span[], base: bigint): void {
  const single = { relative: 0.044, absoluteNs: 1 };

  test('dependencies: calls between services, summed per edge over the window', async () => {
    const start = base - 3_600_000n * MS;
    const end = base + 3_600_000n * MS;
    assertLinks(
      await store().getDependencies(start, end),
      [
        {
          parent: 'frontend',
          child: 'payments',
          calls: 1,
          errors: 1,
          durationSumNs: '80000000',
          p50Ms: 80,
          p95Ms: 80,
        },
      ],
      single,
    );
    assert.deepEqual(await store().getDependencies(base + 3_600_000n * MS, base + 7_200_000n * MS), []);
  });

  test('dependencies: a child written before its parent still makes an edge', async () => {
    const [parent] = fixture.filter((s) => s.spanId === 'a000000000000002');
    const [child] = fixture.filter((s) => s.spanId === 'a000000000000003');
    const t = '3000000000000000000000000000000d';
    const later = 2n * 86_400_000n * MS;
    const shift = (s: Span, spanId: string, parentSpanId: string) => ({
      ...s,
      traceId: t,
      spanId,
      parentSpanId,
      startTimeUnixNano: s.startTimeUnixNano + later,
      endTimeUnixNano: s.endTimeUnixNano + later,
    });
    await store().write([shift(child, 'd000000000000002', 'd000000000000001')]);
    await store().write([shift(parent, 'd000000000000001', '')]);
    const got = await store().getDependencies(base + later - 60_000n * MS, base + later + 60_000n * MS);
    assertLinks(
      got,
      [
        {
          parent: 'frontend',
          child: 'payments',
          calls: 1,
          errors: 1,
          durationSumNs: '80000000',
          p50Ms: 80,
          p95Ms: 80,
        },
      ],
      single,
    );
  });

  test('dependencies: P50 and P95 of child calls per edge, within the stated tolerance (fixtures/dependency-latency.json)', async () => {
    const f = latencyFixture();
    const templates = new Map(
      Object.entries(f.templates).map(([service, spanId]) => [
        service,
        fixture.find((s) => s.spanId === spanId)!,
      ]),
    );
    const t0 = BigInt(Date.parse(f.startMinute)) * MS;
    for (const [gi, g] of f.groups.entries()) {
      const traceId = `50000000000000000000000000000${gi.toString(16).padStart(3, '0')}`;
      const spans = g.durationsMs.flatMap((ms, i) =>
        call(
          templates,
          g,
          traceId,
          gi * 4096 + i,
          t0 + BigInt(g.minute) * MINUTE + BigInt(i) * 100n * MS,
          BigInt(Math.round(ms * 1e6)),
          i < g.errors,
        ),
      );
      await store().write(spans);
    }
    const [from, to] = f.windowMinutes;
    const got = await store().getDependencies(t0 + BigInt(from) * MINUTE, t0 + BigInt(to + 1) * MINUTE - 1n);
    assertLinks(got, f.expect, f.tolerance);
  });
}
