/**
 * Span tags that Jaeger clients and OTel's Jaeger exporters use to carry what OTLP has fields
 * for: status (`error`, `otel.status_code`, `otel.status_description`, else `http.status_code`)
 * and instrumentation scope (`otel.scope.*`, formerly `otel.library.*`). The tags used up are
 * removed from the attributes, as the Collector's translator does.
 */
import { type Attributes, type AttributeValue, SpanKind, type Status, StatusCode } from '@genba/model';

function own(attrs: Attributes, key: string): AttributeValue | undefined {
  return Object.hasOwn(attrs, key) ? attrs[key] : undefined;
}

/** Removes `key` and returns its string value ('' for another type), or undefined when absent. */
function take(attrs: Attributes, key: string): string | undefined {
  if (!Object.hasOwn(attrs, key)) return undefined;
  const v = attrs[key];
  delete attrs[key];
  return typeof v === 'string' ? v : '';
}

/** An HTTP status code carried as an int or a decimal string; undefined for anything else. */
function httpCode(v: AttributeValue | undefined): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^[+-]?\d{1,10}$/.test(v)) return Number(v);
  return undefined;
}

function statusFromHttp(code: number, kind: SpanKind): StatusCode {
  // 4xx is the caller's fault: an error for the client, not for the server that answered it.
  if (code >= 400 && code < 500) return kind === SpanKind.SERVER ? StatusCode.UNSET : StatusCode.ERROR;
  return code >= 100 && code < 400 ? StatusCode.UNSET : StatusCode.ERROR;
}

export function statusFrom(attrs: Attributes, kind: SpanKind): Status {
  const status: Status = { code: StatusCode.UNSET, message: '' };
  let decided = false;
  if (own(attrs, 'error') === true) {
    delete attrs.error;
    decided = true;
    status.code = StatusCode.ERROR;
    const desc = take(attrs, 'otel.status_description');
    const httpMessage = own(attrs, 'http.status_message');
    status.message = desc ?? (typeof httpMessage === 'string' ? httpMessage : '');
  }
  if (Object.hasOwn(attrs, 'otel.status_code')) {
    const code = take(attrs, 'otel.status_code') ?? '';
    // `error=true` is the final word on a Jaeger span's status; otel.status_code only fills in.
    if (!decided) {
      decided = true;
      const upper = code.toUpperCase();
      if (upper === 'OK') status.code = StatusCode.OK;
      else if (upper === 'ERROR') status.code = StatusCode.ERROR;
      status.message = take(attrs, 'otel.status_description') ?? '';
    }
  } else if (!decided) {
    const code = httpCode(own(attrs, 'http.status_code'));
    if (code !== undefined) status.code = statusFromHttp(code, kind);
    const msg = own(attrs, 'http.status_message');
    if (status.code !== StatusCode.UNSET && typeof msg === 'string') status.message = msg;
  }
  return status;
}

/** The instrumentation scope named by the span's tags (removed from them); '' when none. */
export function scopeOf(attrs: Attributes): { name: string; version: string } {
  for (const prefix of ['otel.scope', 'otel.library']) {
    const name = take(attrs, `${prefix}.name`);
    if (name !== undefined) return { name, version: take(attrs, `${prefix}.version`) ?? '' };
  }
  return { name: '', version: '' };
}
