import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError } from '@genba/model';
import type { ComponentContext } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { createMemoryLimiter, memoryLimiterConfig } from '../src/processors/memory-limiter.ts';
import type { SpanConsumer } from '../src/span-consumer.ts';

const MIB = 1024 * 1024;

function context(): ComponentContext & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    metrics: new Metrics(),
    log: { warn: (m) => warnings.push(m), info: (m) => infos.push(m) },
    warnings,
    infos,
  };
}

function spans(n: number): Span[] {
  const resource = emptyResource();
  const scope = emptyScope();
  return Array.from({ length: n }, (_, i) => {
    const s = emptySpan(resource, scope);
    s.name = `op-${i}`;
    return s;
  });
}

/** A next stage that records batches and can hold them open until released. */
function recorder(hold = false) {
  const batches: Span[][] = [];
  const releases: (() => void)[] = [];
  const next: SpanConsumer = {
    consume(s) {
      batches.push(s);
      if (!hold) return Promise.resolve();
      return new Promise<void>((resolve) => releases.push(resolve));
    },
  };
  return { next, batches, releases };
}

function rejection(err: unknown): GenbaError {
  assert.ok(err instanceof GenbaError, `expected a GenbaError, got ${err}`);
  return err;
}

describe('memory_limiter processor', () => {
  test('refuses above the soft limit with 429 and Retry-After, without calling next, and recovers', async () => {
    const ctx = context();
    let rss = 50 * MIB;
    const { next, batches } = recorder();
    const config = memoryLimiterConfig.parse({ limit_mib: 100, spike_limit_mib: 20 });
    const limiter = createMemoryLimiter(config, next, ctx, 'memory_limiter', {
      measure: () => rss,
      gc: () => {},
    });
    try {
      await limiter.consume(spans(2));
      assert.equal(batches.length, 1);

      rss = 90 * MIB;
      limiter.check();
      assert.equal(limiter.refusing, true);
      await assert.rejects(limiter.consume(spans(3)), (err) => {
        const e = rejection(err);
        assert.equal(e.code, 'too_many_requests');
        assert.equal(e.retryAfter, 1);
        assert.match(e.message, /90 MiB/, 'names the current usage');
        assert.match(e.message, /soft limit of 80 MiB/, 'names the limit');
        return true;
      });
      assert.equal(batches.length, 1, 'next was not called while refusing');
      assert.equal(ctx.warnings.length, 1);

      rss = 70 * MIB;
      limiter.check();
      assert.equal(limiter.refusing, false);
      await limiter.consume(spans(1));
      assert.equal(batches.length, 2);
      assert.equal(ctx.infos.length, 1, 'the recovery is logged');

      const text = ctx.metrics.render();
      assert.match(
        text,
        /genba_processor_spans_refused_total\{processor="memory_limiter",reason="memory"\} 3/,
      );
      assert.match(text, new RegExp(`genba_memory_limiter_rss_bytes ${70 * MIB}`));
      assert.match(text, /genba_memory_limiter_refusing 0/);
    } finally {
      await limiter.shutdown();
    }
  });

  test('the spike limit defaults to 20% of limit_mib', async () => {
    let rss = 79 * MIB;
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_mib: 100 }),
      recorder().next,
      context(),
      'm',
      {
        measure: () => rss,
        gc: () => {},
      },
    );
    try {
      assert.deepEqual(limiter.limits, { hard: 100 * MIB, soft: 80 * MIB });
      assert.equal(limiter.refusing, false, 'measured once at creation');
      rss = 81 * MIB;
      limiter.check();
      assert.equal(limiter.refusing, true);
    } finally {
      await limiter.shutdown();
    }
  });

  test('limit_percentage and spike_limit_percentage are shares of total memory', async () => {
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_percentage: 50, spike_limit_percentage: 10 }),
      recorder().next,
      context(),
      'm',
      { measure: () => 0, totalMemory: () => 1000 * MIB, gc: () => {} },
    );
    const defaultSpike = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_percentage: 50 }),
      recorder().next,
      context(),
      'm',
      { measure: () => 0, totalMemory: () => 1000 * MIB, gc: () => {} },
    );
    try {
      assert.deepEqual(limiter.limits, { hard: 500 * MIB, soft: 400 * MIB });
      assert.deepEqual(defaultSpike.limits, { hard: 500 * MIB, soft: 400 * MIB });
    } finally {
      await limiter.shutdown();
      await defaultSpike.shutdown();
    }
  });

  test('collects garbage above the hard limit only, then measures again', async () => {
    let rss = 90 * MIB;
    let gcs = 0;
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_mib: 100 }),
      recorder().next,
      context(),
      'm',
      {
        measure: () => rss,
        gc: () => {
          gcs++;
          rss = 60 * MIB;
        },
      },
    );
    try {
      assert.equal(gcs, 0, 'between the soft and the hard limit: no forced collection');
      assert.equal(limiter.refusing, true);
      rss = 120 * MIB;
      limiter.check();
      assert.equal(gcs, 1);
      assert.equal(limiter.usage, 60 * MIB, 'the usage after the collection counts');
      assert.equal(limiter.refusing, false);
    } finally {
      await limiter.shutdown();
    }
  });

  test('min_gc_interval_when_hard_limited spaces forced collections', async () => {
    let gcs = 0;
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_mib: 100, min_gc_interval_when_hard_limited: '1h' }),
      recorder().next,
      context(),
      'm',
      { measure: () => 150 * MIB, gc: () => gcs++ },
    );
    try {
      limiter.check();
      limiter.check();
      assert.equal(gcs, 1);
      assert.equal(limiter.refusing, true);
    } finally {
      await limiter.shutdown();
    }
  });

  test('bounds the spans in flight (max_in_flight_spans) and counts the refusal', async () => {
    const ctx = context();
    const { next, batches, releases } = recorder(true);
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_mib: 1000, max_in_flight_spans: 3 }),
      next,
      ctx,
      'memory_limiter/a',
      { measure: () => 0 },
    );
    try {
      const first = limiter.consume(spans(2));
      await nextTurn();
      assert.equal(limiter.inFlight, 2);
      assert.match(ctx.metrics.render(), /genba_memory_limiter_spans_in_flight 2/);
      await assert.rejects(limiter.consume(spans(2)), (err) => {
        const e = rejection(err);
        assert.equal(e.code, 'too_many_requests');
        assert.equal(e.retryAfter, 1);
        assert.match(e.message, /2 spans in flight/);
        assert.match(e.message, /max_in_flight_spans/);
        return true;
      });
      const fits = limiter.consume(spans(1));
      await nextTurn();
      assert.equal(limiter.inFlight, 3);
      releases.splice(0).forEach((r) => {
        r();
      });
      await Promise.all([first, fits]);
      assert.equal(limiter.inFlight, 0);
      // With nothing in flight, a request larger than the bound is still served.
      const big = limiter.consume(spans(5));
      await nextTurn();
      releases.splice(0).forEach((r) => {
        r();
      });
      await big;
      assert.deepEqual(
        batches.map((b) => b.length),
        [2, 1, 5],
      );
      assert.match(
        ctx.metrics.render(),
        /genba_processor_spans_refused_total\{processor="memory_limiter\/a",reason="in_flight"\} 2/,
      );
    } finally {
      await limiter.shutdown();
    }
  });

  test('in-flight spans are released when next rejects', async () => {
    const failing: SpanConsumer = { consume: () => Promise.reject(new Error('store down')) };
    const limiter = createMemoryLimiter(
      memoryLimiterConfig.parse({ limit_mib: 1000, max_in_flight_spans: 3 }),
      failing,
      context(),
      'm',
      { measure: () => 0 },
    );
    try {
      await assert.rejects(limiter.consume(spans(3)), /store down/);
      assert.equal(limiter.inFlight, 0);
    } finally {
      await limiter.shutdown();
    }
  });

  test('reports every limiter of one Metrics in the gauges', async () => {
    const ctx = context();
    const a = createMemoryLimiter(memoryLimiterConfig.parse({ limit_mib: 100 }), recorder().next, ctx, 'a', {
      measure: () => 10 * MIB,
    });
    const b = createMemoryLimiter(memoryLimiterConfig.parse({ limit_mib: 10 }), recorder().next, ctx, 'b', {
      measure: () => 10 * MIB,
      gc: () => {},
    });
    try {
      assert.match(ctx.metrics.render(), /genba_memory_limiter_refusing 1/, 'b refuses');
      await b.shutdown();
      assert.match(
        ctx.metrics.render(),
        /genba_memory_limiter_refusing 0/,
        'a shut-down limiter no longer counts',
      );
    } finally {
      await a.shutdown();
    }
  });

  describe('config errors name the key', () => {
    const problems = (raw: unknown) => {
      const r = memoryLimiterConfig.safeParse(raw);
      assert.equal(r.success, false);
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };

    test('no limit at all', () => {
      assert.match(problems({})[0], /^limit_mib: set limit_mib or limit_percentage/);
    });
    test('spike not below the limit', () => {
      assert.match(
        problems({ limit_mib: 100, spike_limit_mib: 100 })[0],
        /^spike_limit_mib: .*smaller than limit_mib/,
      );
      assert.match(
        problems({ limit_percentage: 50, spike_limit_percentage: 60 })[0],
        /^spike_limit_percentage: .*smaller than limit_percentage/,
      );
    });
    test('percentages above 100, bad durations and unknown keys', () => {
      assert.match(problems({ limit_percentage: 150 })[0], /^limit_percentage: /);
      assert.match(
        problems({ limit_mib: 100, check_interval: 'soon' })[0],
        /^check_interval: expected a duration/,
      );
      assert.match(
        problems({ limit_mib: 100, check_interval: '0s' })[0],
        /^check_interval: .*greater than zero/,
      );
      assert.match(problems({ limit_mib: 100, ballast_size_mib: 10 })[0], /ballast_size_mib/);
      assert.match(problems({ limit_mib: 100, max_in_flight_spans: 0 })[0], /^max_in_flight_spans: /);
    });
    test('defaults', () => {
      const c = memoryLimiterConfig.parse({ limit_mib: 10 });
      assert.equal(c.check_interval, '1s');
      assert.equal(c.max_in_flight_spans, 200_000);
    });
  });
});
