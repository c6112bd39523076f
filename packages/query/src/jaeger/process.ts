/** Jaeger processes: one per distinct (service name, resource tags), keyed p1, p2… in order of first use. */
import type { Resource } from '@genba/model';
import { toJaegerTags } from './tag.ts';
import type { JaegerProcess } from './types.ts';

/**
 * The service name Jaeger shows for a resource. Jaeger's ingest sanitizer replaces a missing,
 * non-string or empty `service.name` with these placeholders, so the query API never shows ''.
 */
export function jaegerServiceName(resource: Resource): string {
  if (!Object.hasOwn(resource.attributes, 'service.name')) return 'missing-service-name';
  const v = resource.attributes['service.name'];
  if (typeof v !== 'string') return 'service-name-wrong-type';
  return v === '' ? 'empty-service-name' : v;
}

export function toJaegerProcess(resource: Resource): JaegerProcess {
  return {
    serviceName: jaegerServiceName(resource),
    tags: toJaegerTags(resource.attributes, 'service.name'),
  };
}

/** Deduplicates processes like Jaeger's process hashtable: equal name and tags share one key. */
export class ProcessTable {
  readonly processes: Record<string, JaegerProcess> = {};
  private readonly byContent = new Map<string, string>();
  // Spans of one batch share their resource object, so most lookups stop here.
  private readonly byResource = new Map<Resource, string>();

  keyOf(resource: Resource): string {
    const known = this.byResource.get(resource);
    if (known !== undefined) return known;
    const process = toJaegerProcess(resource);
    const content = JSON.stringify(process);
    let key = this.byContent.get(content);
    if (key === undefined) {
      key = 'p' + (this.byContent.size + 1);
      this.byContent.set(content, key);
      this.processes[key] = process;
    }
    this.byResource.set(resource, key);
    return key;
  }
}
