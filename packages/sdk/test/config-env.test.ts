import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { detectResource } from '../src/resource/detect-resource.ts';
import { samplerFromEnv } from '../src/sampling/from-env.ts';
import { RateLimitingSampler } from '../src/sampling/rate-limiting.ts';
import { spanLimitsFromEnv } from '../src/trace/span-limits.ts';

const decide = (
  s: ReturnType<typeof samplerFromEnv>,
  traceId = 'ffffffffffffffffffffffffffffffff',
  ctx = ROOT_CONTEXT,
) => s.shouldSample(ctx, traceId, 'op', 0, {}, []).decision;

describe('resource', () => {
  test('detects host and process, names the SDK, defaults the service', () => {
    const r = detectResource({}, {});
    assert.equal(typeof r.attributes['host.name'], 'string');
    assert.equal(r.attributes['process.pid'], BigInt(process.pid));
    assert.equal(r.attributes['process.runtime.name'], 'nodejs');
    assert.equal(r.attributes['telemetry.sdk.name'], '@genba/sdk');
    assert.match(String(r.attributes['service.name']), /^unknown_service:/);
  });

  test('OTEL_RESOURCE_ATTRIBUTES is percent-decoded; bad members are skipped', () => {
    const r = detectResource(
      {},
      { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod, team=a%2Cb,broken,=x' },
    );
    assert.equal(r.attributes['deployment.environment'], 'prod');
    assert.equal(r.attributes.team, 'a,b');
    assert.equal(r.attributes.broken, undefined);
  });

  test('service name precedence: option > OTEL_SERVICE_NAME > resource attributes > TRACING_SERVICE_NAME', () => {
    const env = {
      OTEL_SERVICE_NAME: 'from-otel',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs',
      TRACING_SERVICE_NAME: 'from-alias',
    };
    assert.equal(
      detectResource({ 'service.name': 'from-option' }, env).attributes['service.name'],
      'from-option',
    );
    assert.equal(detectResource({}, env).attributes['service.name'], 'from-otel');
    assert.equal(
      detectResource({}, { ...env, OTEL_SERVICE_NAME: undefined }).attributes['service.name'],
      'from-attrs',
    );
    assert.equal(
      detectResource({}, { TRACING_SERVICE_NAME: 'from-alias' }).attributes['service.name'],
      'from-alias',
    );
  });
});

describe('sampler from the environment', () => {
  const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });

  test('default is parent-based always-on', () => {
    const s = samplerFromEnv({});
    assert.equal(s.toString(), 'ParentBased{root=AlwaysOnSampler}');
    assert.equal(decide(s), 2);
  });

  test('each OTEL_TRACES_SAMPLER name', () => {
    assert.equal(decide(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' }), undefined, sampledParent), 0);
    assert.equal(decide(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' })), 0);
    assert.equal(
      decide(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }), undefined, sampledParent),
      2,
    );
    const ratio = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' });
    assert.equal(ratio.toString(), 'TraceIdRatioBased{0.5}');
    assert.equal(decide(ratio, '000000000000000000000000000000ff'), 2, 'low ids are kept');
    assert.equal(decide(ratio, '000000000000000000000000ffffffff'), 0, 'high ids are dropped');
    const limited = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'rate_limiting', OTEL_TRACES_SAMPLER_ARG: '3' });
    assert.ok(limited instanceof RateLimitingSampler);
    assert.equal(
      samplerFromEnv({ OTEL_TRACES_SAMPLER: 'bogus' }).toString(),
      'ParentBased{root=AlwaysOnSampler}',
    );
  });

  test('TRACING_SAMPLE_RATE applies only when OTEL_TRACES_SAMPLER is unset', () => {
    assert.equal(
      samplerFromEnv({ TRACING_SAMPLE_RATE: '0' }).toString(),
      'ParentBased{root=TraceIdRatioBased{0}}',
    );
    assert.equal(
      samplerFromEnv({ TRACING_SAMPLE_RATE: '0', OTEL_TRACES_SAMPLER: 'always_on' }).toString(),
      'AlwaysOnSampler',
    );
    assert.equal(
      samplerFromEnv({ TRACING_SAMPLE_RATE: '7' }).toString(),
      'ParentBased{root=TraceIdRatioBased{1}}',
    );
  });

  test('the rate limiter keeps at most its budget per second', () => {
    const s = new RateLimitingSampler(5);
    let kept = 0;
    for (let i = 0; i < 100; i++) if (s.shouldSample().decision === 2) kept++;
    assert.equal(kept, 5, 'a burst gets one second of budget');
  });
});

describe('span limits from the environment', () => {
  test('span-specific variables win over general ones; bad values are ignored', () => {
    const l = spanLimitsFromEnv({
      OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '20',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '64',
      OTEL_SPAN_EVENT_COUNT_LIMIT: 'lots',
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '3',
    });
    assert.equal(l.attributeCountLimit, 20);
    assert.equal(l.attributeValueLengthLimit, 64);
    assert.equal(l.eventCountLimit, 128);
    assert.equal(l.attributePerEventCountLimit, 10, 'falls back to the general count');
    assert.equal(l.attributePerLinkCountLimit, 3);
    assert.equal(spanLimitsFromEnv({}).attributeValueLengthLimit, Number.POSITIVE_INFINITY);
  });
});
