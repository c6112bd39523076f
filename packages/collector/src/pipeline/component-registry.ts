/**
 * What each component type is, how its config is checked, and how it is made. The config names
 * components `type` or `type/name`; the type picks the entry here.
 */
import type { Storage } from '@genba/storage';
import type { ZodType } from 'zod';
import type { ComponentContext, ListeningReceiver, Stage } from '../component.ts';
import { formatEndpoint } from '../config/endpoint.ts';
import type { SpanConsumer } from '../span-consumer.ts';

export interface BuildContext extends ComponentContext {
  /** The store, for the `store` exporter; absent for a router. */
  store?: Storage;
  maxBodyBytes: number;
}

export interface ReceiverType {
  schema: ZodType;
  /** Fills endpoints the config leaves out with the `genba.listen` host (or port 0 in tests). */
  defaults?(config: Record<string, unknown>, listen: string, anyPort: boolean): Record<string, unknown>;
  create(config: never, consumer: SpanConsumer, ctx: BuildContext, name: string): Promise<ListeningReceiver>;
}

export interface ProcessorType {
  schema: ZodType;
  create(config: never, next: SpanConsumer, ctx: BuildContext, name: string): Stage;
}

export interface ExporterType {
  schema: ZodType;
  create(config: never, ctx: BuildContext, name: string): Stage;
}

export interface ComponentRegistry {
  receivers: Record<string, ReceiverType>;
  processors: Record<string, ProcessorType>;
  exporters: Record<string, ExporterType>;
}

/** `otlp/backup` → `otlp`. */
export function typeOf(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

/** Sets `endpoint` keys that are missing at the given paths (`''` is the top) to `host:port`. */
export function withEndpoints(
  config: Record<string, unknown>,
  paths: Record<string, number>,
  listen: string,
  anyPort: boolean,
): Record<string, unknown> {
  const out = structuredClone(config);
  for (const [path, port] of Object.entries(paths)) {
    let node: Record<string, unknown> | undefined = out;
    for (const key of path === '' ? [] : path.split('.')) {
      if (!node) break;
      // YAML's `grpc:` with nothing after it is null: it means "on, with defaults".
      if (key in node && node[key] === null) node[key] = {};
      const next: unknown = node[key];
      node = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
    }
    if (node && node.endpoint === undefined)
      node.endpoint = formatEndpoint({ host: listen, port: anyPort ? 0 : port });
  }
  return out;
}
