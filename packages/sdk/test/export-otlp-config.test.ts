import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import {
  grpcUrlFromEnv,
  httpUrlFromEnv,
  parseHeaderList,
  resolveCompression,
  resolveHeaders,
  resolveTimeout,
} from '../src/export/otlp-config.ts';
import { OtlpGrpcExporter } from '../src/export/otlp-grpc-exporter.ts';
import { OtlpHttpExporter } from '../src/export/otlp-http-exporter.ts';

const VARS = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'TRACING_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_COMPRESSION',
  'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
];

describe('OTLP exporter configuration', () => {
  afterEach(() => {
    for (const v of VARS) delete process.env[v];
  });

  test('HTTP URL: defaults, then each variable in precedence order', () => {
    assert.equal(httpUrlFromEnv(), 'http://localhost:4318/v1/traces');
    process.env.TRACING_ENDPOINT = 'http://genba:4318';
    assert.equal(httpUrlFromEnv(), 'http://genba:4318/v1/traces', 'no path: /v1/traces added');
    process.env.TRACING_ENDPOINT = 'http://genba:4318/custom/traces';
    assert.equal(httpUrlFromEnv(), 'http://genba:4318/custom/traces', 'a path is kept');
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'https://collector:4318/prefix/';
    assert.equal(httpUrlFromEnv(), 'https://collector:4318/prefix/v1/traces', 'generic: always appended');
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'https://traces.example/ingest';
    assert.equal(httpUrlFromEnv(), 'https://traces.example/ingest', 'traces: as-is');
    assert.equal(new OtlpHttpExporter().url, 'https://traces.example/ingest');
    assert.equal(new OtlpHttpExporter({ url: 'http://explicit:1/x' }).url, 'http://explicit:1/x');
  });

  test('an invalid URL in env falls through to the next source', () => {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'collector:4318';
    process.env.TRACING_ENDPOINT = 'http://fallback:4318';
    assert.equal(httpUrlFromEnv(), 'http://fallback:4318/v1/traces');
    assert.equal(new OtlpHttpExporter({ url: '::nope::' }).url, 'http://fallback:4318/v1/traces');
  });

  test('gRPC URL', () => {
    assert.equal(grpcUrlFromEnv(), 'http://localhost:4317');
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'https://collector:4317';
    assert.equal(new OtlpGrpcExporter().url, 'https://collector:4317/');
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = 'http://traces:5317';
    assert.equal(grpcUrlFromEnv(), 'http://traces:5317');
  });

  test('headers: k=v lists, percent-decoded, traces over generic over nothing, options over env', () => {
    assert.deepEqual(parseHeaderList(' api-key = a%20b%3Dc ,x-tenant=acme,,bad, =v', 'test'), {
      'api-key': 'a b=c',
      'x-tenant': 'acme',
    });
    process.env.OTEL_EXPORTER_OTLP_HEADERS = 'x-tenant=generic,x-only-generic=1';
    process.env.OTEL_EXPORTER_OTLP_TRACES_HEADERS = 'X-Tenant=traces';
    assert.deepEqual(resolveHeaders(undefined), { 'x-tenant': 'traces', 'x-only-generic': '1' });
    assert.deepEqual(resolveHeaders({ 'X-Tenant': 'explicit' }), {
      'x-tenant': 'explicit',
      'x-only-generic': '1',
    });
  });

  test('compression and timeout', () => {
    assert.equal(resolveCompression(undefined), 'none');
    process.env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
    assert.equal(resolveCompression(undefined), 'gzip');
    process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = 'none';
    assert.equal(resolveCompression(undefined), 'none');
    process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = 'brotli';
    assert.equal(resolveCompression(undefined), 'gzip', 'a bad value is ignored');
    assert.equal(resolveCompression('none'), 'none');

    assert.equal(resolveTimeout(undefined), 10_000);
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '2500';
    assert.equal(resolveTimeout(undefined), 2500);
    process.env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT = '700';
    assert.equal(resolveTimeout(undefined), 700);
    process.env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT = 'soon';
    assert.equal(resolveTimeout(undefined), 2500);
    assert.equal(resolveTimeout(123), 123);
    assert.equal(resolveTimeout(-1), 2500);
  });
});
