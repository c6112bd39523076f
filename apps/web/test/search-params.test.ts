import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTracesQuery } from '../src/api/jaeger-client.ts';
import { matchRoute, normalizeTraceIdInput, traceUrl } from '../src/router/routes.ts';
import { emptyForm, formFromUrl, formToQuery, formToUrl, validateForm } from '../src/search/search-params.ts';

test('the form survives the URL round trip', () => {
  const form = {
    ...emptyForm(),
    service: 'orders',
    operation: 'POST /orders',
    tags: 'error=true msg="a b"',
    lookback: '2h',
    minDuration: '100ms',
    maxDuration: '1.2s',
    limit: '50',
  };
  const url = formToUrl(form);
  assert.ok(url.startsWith('/search?'));
  assert.deepEqual(formFromUrl(url.slice(url.indexOf('?'))), form);
});

test('defaults: lookback 1h, limit 20, operation all', () => {
  const f = formFromUrl('?service=x&operation=all&lookback=bogus');
  assert.equal(f.operation, '');
  assert.equal(f.lookback, '1h');
  assert.equal(f.limit, '20');
});

test('validation names each bad field', () => {
  const errs = validateForm({
    ...emptyForm(),
    tags: 'oops',
    minDuration: 'soon',
    maxDuration: '1s',
    limit: '0',
  });
  assert.deepEqual(Object.keys(errs).sort(), ['limit', 'minDuration', 'service', 'tags']);
  const order = validateForm({ ...emptyForm(), service: 's', minDuration: '2s', maxDuration: '1s' });
  assert.deepEqual(Object.keys(order), ['maxDuration']);
  assert.deepEqual(validateForm({ ...emptyForm(), service: 's' }), {});
});

test('the API query: window from the lookback, tags as JSON, all-operations left out', () => {
  const form = {
    ...emptyForm(),
    service: 'orders',
    tags: 'http.status_code=500 error=true',
    minDuration: '1.2 s',
  };
  const now = 1_700_000_000_000;
  const q = formToQuery(form, now);
  assert.equal(q.end, now * 1000);
  assert.equal(q.start, now * 1000 - 3_600_000_000);
  assert.equal(q.operation, undefined);
  assert.equal(q.limit, 20);
  const p = new URLSearchParams(buildTracesQuery(q));
  assert.equal(p.get('service'), 'orders');
  assert.equal(p.get('tags'), '{"http.status_code":"500","error":"true"}');
  assert.equal(p.get('minDuration'), '1.2s');
  assert.equal(p.get('lookback'), '1h');
  assert.equal(p.get('limit'), '20');
  assert.equal(p.get('start'), String(now * 1000 - 3_600_000_000));
  assert.equal(p.has('operation'), false);
  assert.equal(p.has('maxDuration'), false);
});

test('routes', () => {
  assert.deepEqual(matchRoute('/'), { page: 'search' });
  assert.deepEqual(matchRoute('/search'), { page: 'search' });
  assert.deepEqual(matchRoute('/search/'), { page: 'search' });
  assert.deepEqual(matchRoute('/trace/abc'), { page: 'trace', traceId: 'abc' });
  assert.equal(matchRoute('/nope').page, 'not-found');
  assert.equal(traceUrl('abc', 'def'), '/trace/abc?span=def');
  assert.equal(normalizeTraceIdInput('  ABCDEF '), 'abcdef');
  assert.equal(normalizeTraceIdInput('http://h:16686/trace/abc123?span=x'), 'abc123');
});
