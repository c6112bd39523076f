import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Attributes, Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError, SpanKind, StatusCode } from '@genba/model';
import type { ComponentContext } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { parseCondition } from '../src/processors/filter-parser.ts';
import { createFilterProcessor, filterProcessorConfig } from '../src/processors/filter-processor.ts';
import { ConditionSyntaxError } from '../src/processors/filter-tokens.ts';
import type { SpanConsumer } from '../src/span-consumer.ts';

interface SpanSpec {
  name?: string;
  service?: string;
  attributes?: Attributes;
  kind?: Span['kind'];
  status?: Span['status']['code'];
  durationMs?: number;
}

function span(spec: SpanSpec = {}): Span {
  const resource = { ...emptyResource(), attributes: { 'service.name': spec.service ?? 'api' } };
  const s = emptySpan(resource, { ...emptyScope(), name: 'lib', version: '1.2' });
  s.name = spec.name ?? 'GET /orders';
  s.attributes = spec.attributes ?? {};
  s.kind = spec.kind ?? SpanKind.SERVER;
  s.status = { code: spec.status ?? StatusCode.UNSET, message: '' };
  s.startTimeUnixNano = 1_700_000_000_000_000_000n;
  s.endTimeUnixNano = s.startTimeUnixNano + BigInt(Math.round((spec.durationMs ?? 10) * 1e6));
  return s;
}

function setup(raw: Record<string, unknown>) {
  const warnings: string[] = [];
  const ctx: ComponentContext = { metrics: new Metrics(), log: { warn: (m) => warnings.push(m), info() {} } };
  const received: Span[][] = [];
  const next: SpanConsumer = {
    async consume(s) {
      received.push(s);
    },
  };
  const filter = createFilterProcessor(filterProcessorConfig.parse(raw), next, ctx, 'filter/ottl');
  return { filter, received, warnings, ctx };
}

/** Whether a single condition drops the span. */
async function drops(condition: string, s: Span): Promise<boolean> {
  const { filter, received } = setup({ traces: { span: [condition] } });
  await filter.consume([s]);
  return received.length === 0;
}

describe('filter processor', () => {
  test('drops spans matching any condition, passes the rest on, and counts the drops', async () => {
    const { filter, received, ctx } = setup({
      traces: {
        span: ['attributes["http.route"] == "/health"', 'resource.attributes["service.name"] == "loadgen"'],
      },
    });
    const keep = span({ attributes: { 'http.route': '/orders' } });
    await filter.consume([
      span({ attributes: { 'http.route': '/health' } }),
      keep,
      span({ service: 'loadgen' }),
    ]);
    assert.deepEqual(received, [[keep]]);
    assert.match(
      ctx.metrics.render(),
      /genba_processor_spans_dropped_total\{processor="filter\/ottl",reason="filtered"\} 2/,
    );
  });

  test('when every span is dropped, next is not called', async () => {
    const { filter, received } = setup({ traces: { span: ['name == "GET /orders"'] } });
    await filter.consume([span(), span()]);
    assert.equal(received.length, 0);
  });

  test('with no conditions every span passes', async () => {
    const { filter, received } = setup({});
    const s = span();
    await filter.consume([s]);
    assert.deepEqual(received, [[s]]);
  });

  test('name, != and IsMatch', async () => {
    assert.equal(await drops('name == "GET /orders"', span()), true);
    assert.equal(await drops('name != "GET /orders"', span()), false);
    assert.equal(await drops('IsMatch(name, "^GET /ord")', span()), true);
    assert.equal(await drops('IsMatch(name, "^POST")', span()), false);
    assert.equal(
      await drops('IsMatch(attributes["code"], "^5")', span({ attributes: { code: 503n } })),
      true,
    );
    assert.equal(await drops('IsMatch(attributes["missing"], ".*")', span()), false);
  });

  test('kind and status.code compare with the OTTL enums', async () => {
    assert.equal(await drops('kind == SPAN_KIND_CLIENT', span({ kind: SpanKind.CLIENT })), true);
    assert.equal(await drops('kind == SPAN_KIND_CLIENT', span({ kind: SpanKind.SERVER })), false);
    assert.equal(await drops('status.code == STATUS_CODE_ERROR', span({ status: StatusCode.ERROR })), true);
    assert.equal(await drops('status.code != STATUS_CODE_ERROR', span({ status: StatusCode.ERROR })), false);
    assert.equal(await drops('kind == 3', span({ kind: SpanKind.CLIENT })), true);
  });

  test('numeric comparisons on attributes and duration_ms; ints and doubles compare by value', async () => {
    const s = span({ attributes: { 'http.status_code': 404n, ratio: 0.25 }, durationMs: 2.5 });
    assert.equal(await drops('attributes["http.status_code"] >= 400', s), true);
    assert.equal(await drops('attributes["http.status_code"] < 400', s), false);
    assert.equal(await drops('attributes["http.status_code"] == 404.0', s), true);
    assert.equal(await drops('attributes["ratio"] <= 0.25', s), true);
    assert.equal(await drops('attributes["ratio"] > 0.25', s), false);
    assert.equal(await drops('duration_ms < 3', s), true);
    assert.equal(await drops('duration_ms > 2.5', s), false);
    assert.equal(await drops('duration_ms >= 2.5', s), true);
  });

  test('different types are unequal and unordered; nil is a missing value', async () => {
    const s = span({ attributes: { code: '404', flag: true } });
    assert.equal(await drops('attributes["code"] == 404', s), false);
    assert.equal(await drops('attributes["code"] > 1', s), false);
    assert.equal(await drops('attributes["missing"] < 1', s), false);
    assert.equal(await drops('attributes["missing"] == nil', s), true);
    assert.equal(await drops('attributes["code"] != nil', s), true);
    assert.equal(await drops('attributes["flag"] == true', s), true);
  });

  test('and binds tighter than or; parentheses and not group', async () => {
    const s = span({ kind: SpanKind.CLIENT, attributes: { a: 1n } });
    assert.equal(await drops('name == "x" and attributes["a"] == 1 or kind == SPAN_KIND_CLIENT', s), true);
    assert.equal(await drops('name == "x" and (attributes["a"] == 1 or kind == SPAN_KIND_CLIENT)', s), false);
    assert.equal(await drops('not (name == "x") and not kind == SPAN_KIND_SERVER', s), true);
    assert.equal(await drops('true', s), true);
    assert.equal(await drops('not true', s), false);
  });

  test('strings keep escapes; keys may hold any text', async () => {
    const s = span({ name: 'say "hi"\\now', attributes: { 'we"ird key': 'v' } });
    assert.equal(await drops('name == "say \\"hi\\"\\\\now"', s), true);
    assert.equal(await drops('attributes["we\\"ird key"] == "v"', s), true);
  });

  test('error_mode decides what a failing evaluation does', async () => {
    const hostile = span();
    hostile.attributes = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('broken attributes');
        },
      },
    );
    const condition = ['attributes["a"] == "b"'];

    const propagate = setup({ traces: { span: condition } });
    await assert.rejects(propagate.filter.consume([hostile]), (err) => {
      assert.ok(err instanceof GenbaError);
      assert.match(err.message, /broken attributes/);
      assert.match(err.message, /attributes\["a"\] == \\"b\\"|attributes\[\\"a\\"\]/);
      return true;
    });
    assert.equal(propagate.received.length, 0);

    const ignore = setup({ error_mode: 'ignore', traces: { span: condition } });
    await ignore.filter.consume([hostile]);
    assert.equal(ignore.received.length, 1, 'the span is kept');
    assert.equal(ignore.warnings.length, 1);

    const silent = setup({ error_mode: 'silent', traces: { span: condition } });
    await silent.filter.consume([hostile]);
    assert.equal(silent.received.length, 1);
    assert.equal(silent.warnings.length, 0);
  });

  describe('syntax errors say where and what was expected', () => {
    const error = (src: string): ConditionSyntaxError => {
      try {
        parseCondition(src);
      } catch (err) {
        assert.ok(err instanceof ConditionSyntaxError, `got ${err}`);
        return err;
      }
      assert.fail(`"${src}" should not parse`);
    };

    test('a missing right-hand side', () => {
      const e = error('attributes["k"] ==');
      assert.equal(e.pos, 19);
      assert.match(e.message, /^expected a value .* found end of condition at position 19$/);
    });
    test('a bare path', () => {
      const e = error('name and kind == 1');
      assert.equal(e.pos, 6);
      assert.match(e.message, /expected a comparison operator .* after "name", found "and"/);
    });
    test('unknown names', () => {
      const e = error('span.name == "x"');
      assert.equal(e.pos, 1);
      assert.match(e.message, /unknown name "span.name"/);
    });
    test('single = and unterminated strings and unclosed parentheses', () => {
      assert.match(error('name = "x"').message, /use == or != .* at position 6/);
      assert.match(error('name == "x').message, /unterminated string.* at position 9/);
      assert.match(
        error('(name == "x"').message,
        /expected "\)" to close the parenthesis, found end of condition at position 13/,
      );
      assert.match(
        error('name == "x" name').message,
        /expected "and", "or" or the end of the condition, found "name" at position 13/,
      );
      assert.match(error('attributes.k == "x"').message, /unknown name "attributes.k"/);
      assert.match(
        error('attributes[k] == "x"').message,
        /expected an attribute key as a string.* at position 12/,
      );
    });
    test('an invalid regular expression in IsMatch', () => {
      const e = error('IsMatch(name, "(")');
      assert.equal(e.pos, 15);
      assert.match(e.message, /invalid regular expression/);
    });
    test('bounds on length and depth', () => {
      assert.match(error(`${'('.repeat(100)}true${')'.repeat(100)}`).message, /nests deeper than 64/);
      assert.match(error(`name == "${'x'.repeat(9000)}"`).message, /longer than 8192/);
    });
    test('config validation reports the failing condition by its key', () => {
      const r = filterProcessorConfig.safeParse({ traces: { span: ['name == "ok"', 'kind === 1'] } });
      assert.equal(r.success, false);
      const [issue] = r.error!.issues;
      assert.deepEqual(issue.path, ['traces', 'span', 1]);
      assert.match(issue.message, /at position 8/);
    });
    test('unknown keys and modes', () => {
      assert.equal(filterProcessorConfig.safeParse({ error_mode: 'loud' }).success, false);
      const r = filterProcessorConfig.safeParse({ spans: { exclude: {} } });
      assert.equal(r.success, false);
      assert.match(r.error!.issues[0].message, /spans/);
    });
  });
});
