import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLogfmtTags, parseLogfmtTags, tagsFromUrlParam, tagsParam } from '../src/search/tags.ts';

test('logfmt tags become a JSON object of strings', () => {
  assert.deepEqual(parseLogfmtTags('http.status_code=500 error=true'), {
    ok: true,
    tags: { 'http.status_code': '500', error: 'true' },
  });
  assert.equal(tagsParam('http.status_code=500 error=true'), '{"http.status_code":"500","error":"true"}');
});

test('quoted values keep spaces, quotes and equals signs', () => {
  const r = parseLogfmtTags('  msg="hello world"   q="a \\"b\\" = c" url=http://x/?a=b  ');
  assert.deepEqual(r, { ok: true, tags: { msg: 'hello world', q: 'a "b" = c', url: 'http://x/?a=b' } });
});

test('empty text means no tags', () => {
  assert.deepEqual(parseLogfmtTags('   '), { ok: true, tags: {} });
  assert.equal(tagsParam(''), undefined);
  assert.equal(tagsParam('  '), undefined);
});

test('errors name the problem', () => {
  const bare = parseLogfmtTags('error');
  assert.equal(bare.ok, false);
  assert.match(!bare.ok ? bare.error : '', /"error" has no value/);
  const open = parseLogfmtTags('a="unclosed');
  assert.equal(open.ok, false);
  assert.match(!open.ok ? open.error : '', /closing quote/);
  assert.equal(parseLogfmtTags('=x').ok, false);
  assert.equal(parseLogfmtTags('a="x"b').ok, false);
  assert.equal(tagsParam('error'), undefined);
});

test('empty values are allowed', () => {
  assert.deepEqual(parseLogfmtTags('a= b=""'), { ok: true, tags: { a: '', b: '' } });
});

test('formatting round-trips through parsing', () => {
  const tags = { a: '1', msg: 'two words', q: 'say "hi"', e: '' };
  const text = formatLogfmtTags(tags);
  assert.deepEqual(parseLogfmtTags(text), { ok: true, tags });
});

test('URL parameter: logfmt stays, jaeger-ui JSON becomes logfmt', () => {
  assert.equal(tagsFromUrlParam('error=true'), 'error=true');
  assert.equal(
    tagsFromUrlParam('{"error":"true","http.status_code":500}'),
    'error=true http.status_code=500',
  );
  assert.equal(tagsFromUrlParam(null), '');
  assert.equal(tagsFromUrlParam('{not json'), '{not json');
});
