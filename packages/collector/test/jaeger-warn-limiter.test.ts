/** Warnings about bad datagrams are rate-limited, and the next one says how many were held back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WarnLimiter } from '../src/receivers/jaeger/warn-limiter.ts';

test('one warning per interval; the next one counts those suppressed', () => {
  const logged: string[] = [];
  let now = 1_000;
  const limiter = new WarnLimiter(
    (m) => logged.push(m),
    10_000,
    () => now,
  );
  limiter.warn('bad packet a');
  limiter.warn('bad packet b');
  now += 9_999;
  limiter.warn('bad packet c');
  assert.deepEqual(logged, ['bad packet a']);
  now += 1;
  limiter.warn('bad packet d');
  limiter.warn('bad packet e');
  now += 10_000;
  limiter.warn('bad packet f');
  assert.deepEqual(logged, [
    'bad packet a',
    'bad packet d (2 similar warnings suppressed)',
    'bad packet f (1 similar warnings suppressed)',
  ]);
});
