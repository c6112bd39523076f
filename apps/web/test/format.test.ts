import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationParam, formatDuration, parseDuration } from '../src/format/duration.ts';
import { formatRelative, formatTimestamp } from '../src/format/time.ts';
import { niceStep, timeTicks } from '../src/trace/ticks.ts';

test('formatDuration picks a readable unit', () => {
  assert.equal(formatDuration(0), '0µs');
  assert.equal(formatDuration(1.5), '1.5µs');
  assert.equal(formatDuration(850), '850µs');
  assert.equal(formatDuration(1_000), '1ms');
  assert.equal(formatDuration(12_345), '12.35ms');
  assert.equal(formatDuration(1_200_000), '1.2s');
  assert.equal(formatDuration(59_990_000), '59.99s');
  assert.equal(formatDuration(125_000_000), '2m 5s');
  assert.equal(formatDuration(120_000_000), '2m');
  assert.equal(formatDuration(3_600_000_000 + 4 * 60_000_000), '1h 4m');
  assert.equal(formatDuration(-2_000), '-2ms');
  assert.equal(formatDuration(999.7), '1ms');
  assert.equal(formatDuration(999_996), '1s');
  assert.equal(formatDuration(59_996_000), '1m');
  assert.equal(formatDuration(119_700_000), '2m');
  assert.equal(formatDuration(3_599_800_000), '1h');
  assert.equal(formatDuration(Number.NaN), '–');
});

test('parseDuration reads Go-style durations into microseconds', () => {
  assert.equal(parseDuration('1.2s'), 1_200_000);
  assert.equal(parseDuration('100ms'), 100_000);
  assert.equal(parseDuration('500us'), 500);
  assert.equal(parseDuration('500µs'), 500);
  assert.equal(parseDuration('1500ns'), 1.5);
  assert.equal(parseDuration('1m30s'), 90_000_000);
  assert.equal(parseDuration(' 2 h '), 7_200_000_000);
  assert.equal(parseDuration('.5s'), 500_000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', '10', 'ms', '1.2', '5x', '1s garbage', '-1s'])
    assert.equal(parseDuration(bad), null, bad);
});

test('durationParam gives the API text, or nothing', () => {
  assert.equal(durationParam(' 1.2 s'), '1.2s');
  assert.equal(durationParam('300µs'), '300us');
  assert.equal(durationParam(''), undefined);
  assert.equal(durationParam('fast'), undefined);
});

test('relative time', () => {
  const now = 1_700_000_000_000;
  const us = (msAgo: number) => (now - msAgo) * 1000;
  assert.equal(formatRelative(us(1000), now), 'just now');
  assert.equal(formatRelative(us(42_000), now), '42s ago');
  assert.equal(formatRelative(us(60_000), now), '1 minute ago');
  assert.equal(formatRelative(us(5 * 60_000), now), '5 minutes ago');
  assert.equal(formatRelative(us(3 * 3_600_000), now), '3 hours ago');
  assert.equal(formatRelative(us(2 * 86_400_000), now), '2 days ago');
  assert.equal(formatRelative(us(-120_000), now), 'in 2 minutes');
});

test('absolute time has millisecond precision', () => {
  assert.match(formatTimestamp(1_700_000_000_123_456), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123$/);
});

test('time axis ticks use round steps and start at zero', () => {
  assert.equal(niceStep(0.7), 1);
  assert.equal(niceStep(130), 200);
  assert.equal(niceStep(400), 500);
  assert.equal(niceStep(600), 1000);
  const ticks = timeTicks(1_000_000);
  assert.deepEqual(
    ticks.map((t) => t.label),
    ['0µs', '200ms', '400ms', '600ms', '800ms', '1s'],
  );
  assert.equal(ticks[0].fraction, 0);
  assert.ok(ticks.every((t) => t.fraction >= 0 && t.fraction <= 1.0001));
  assert.deepEqual(timeTicks(0), [{ fraction: 0, label: '0µs' }]);
});
