/**
 * The process's resource: OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME (or the seeds'
 * TRACING_SERVICE_NAME), then what the host and process tell us. Explicit attributes win.
 */
import { arch, hostname } from 'node:os';
import { basename } from 'node:path';
import type { Attributes, Resource } from '@genba/model';
import { reportOnce } from '../diag.ts';

export const SDK_NAME = '@genba/sdk';
export const SDK_VERSION = '0.1.0';

/** `k=v,k=v` with percent-encoded values, as the OTel spec defines OTEL_RESOURCE_ATTRIBUTES. */
export function parseResourceAttributes(raw: string | undefined): Attributes {
  const out: Attributes = {};
  if (raw === undefined) return out;
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (key === '') {
      reportOnce('env:resource', `OTEL_RESOURCE_ATTRIBUTES: ignoring ${JSON.stringify(part)}, not key=value`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      reportOnce('env:resource-decode', `OTEL_RESOURCE_ATTRIBUTES: ignoring ${key}, bad percent-encoding`);
    }
  }
  return out;
}

export function detectResource(given: Attributes = {}, env: NodeJS.ProcessEnv = process.env): Resource {
  const executable = basename(process.execPath);
  const fromEnv = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES);
  const attributes: Attributes = {
    'host.name': hostname(),
    'host.arch': arch(),
    'process.pid': BigInt(process.pid),
    'process.executable.name': executable,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'telemetry.sdk.name': SDK_NAME,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': SDK_VERSION,
    'service.name': `unknown_service:${executable}`,
    ...fromEnv,
  };
  // OTEL_* wins over the seeds' alias: the alias applies only when no OTel variable names the service.
  const serviceName =
    env.OTEL_SERVICE_NAME?.trim() ||
    (fromEnv['service.name'] === undefined ? env.TRACING_SERVICE_NAME?.trim() : '');
  if (serviceName) attributes['service.name'] = serviceName;
  Object.assign(attributes, given);
  return { attributes, droppedAttributesCount: 0, schemaUrl: '' };
}
