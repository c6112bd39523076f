/**
 * The SDK's TracerProvider: owns the resource, sampler, limits, id generator and processors,
 * and hands out one Tracer per instrumentation scope. `register()` makes it (and, by default,
 * an AsyncLocalStorage context manager and the env-selected propagator) global.
 */

import type { Attributes, Resource, Scope } from '@genba/model';
import type {
  TracerProvider as ApiTracerProvider,
  Context,
  ContextManager,
  TextMapPropagator,
  TracerOptions,
} from '@opentelemetry/api';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '../context/async-local-storage-context-manager.ts';
import { reportOnce } from '../diag.ts';
import { propagatorFromEnv } from '../propagation/from-env.ts';
import { detectResource } from '../resource/detect-resource.ts';
import { samplerFromEnv } from '../sampling/from-env.ts';
import { ignoresTraceId } from '../sampling/ignores-trace-id.ts';
import type { Sampler, SpanProcessor } from '../types.ts';
import type { IdGenerator } from './id-generator.ts';
import { RandomIdGenerator } from './id-generator.ts';
import { MultiSpanProcessor } from './multi-span-processor.ts';
import type { SpanLimits } from './span-limits.ts';
import { spanLimitsFromEnv } from './span-limits.ts';
import { Tracer } from './tracer.ts';

export interface TracerProviderOptions {
  /** Resource attributes, merged over the detected ones (`service.name`…). */
  resource?: Attributes;
  sampler?: Sampler;
  spanProcessors?: SpanProcessor[];
  spanLimits?: Partial<SpanLimits>;
  idGenerator?: IdGenerator;
}

export interface RegisterOptions {
  /** Defaults to Genba's AsyncLocalStorage manager; `null` leaves the global one alone. */
  contextManager?: ContextManager | null;
  /** Defaults to the one OTEL_PROPAGATORS selects; `null` leaves the global one alone. */
  propagator?: TextMapPropagator | null;
}

export class TracerProvider implements ApiTracerProvider {
  readonly resource: Resource;
  readonly limits: SpanLimits;
  readonly idGenerator: IdGenerator;
  readonly processor = new MultiSpanProcessor();
  #sampler!: Sampler;
  #samplerIgnoresTraceId = false;
  #shutdown = false;
  #contextManager: ContextManager | undefined;
  readonly #tracers = new Map<string, Map<string, Tracer>>();

  constructor(options: TracerProviderOptions = {}) {
    this.resource = detectResource(options.resource);
    this.sampler = options.sampler ?? samplerFromEnv();
    this.limits = spanLimitsFromEnv(process.env, options.spanLimits);
    this.idGenerator = options.idGenerator ?? new RandomIdGenerator();
    for (const p of options.spanProcessors ?? []) this.processor.add(p);
  }

  /**
   * The active context. Straight from our own manager when register() installed it (the API's
   * lookup of the global manager costs as much as the rest of an unsampled span); else the API's.
   */
  activeContext(): Context {
    return this.#contextManager === undefined ? context.active() : this.#contextManager.active();
  }

  /** Read at every span start, so it can be swapped at runtime (`setSamplingRate`). */
  get sampler(): Sampler {
    return this.#sampler;
  }

  set sampler(s: Sampler) {
    this.#sampler = s;
    this.#samplerIgnoresTraceId = ignoresTraceId(s);
  }

  /** Whether the sampler decides without the trace id, worked out once per sampler, not per span. */
  get samplerIgnoresTraceId(): boolean {
    return this.#samplerIgnoresTraceId;
  }

  get isShutdown(): boolean {
    return this.#shutdown;
  }

  getTracer(name: string, version = '', options: TracerOptions = {}): Tracer {
    // Called per operation by much instrumentation: two Map lookups, no string building.
    const schemaUrl = options.schemaUrl ?? '';
    let byVersion = this.#tracers.get(name);
    if (byVersion === undefined) {
      byVersion = new Map();
      this.#tracers.set(name, byVersion);
    }
    const key = schemaUrl === '' ? version : `${version}\n${schemaUrl}`;
    let tracer = byVersion.get(key);
    if (tracer === undefined) {
      const scope: Scope = {
        name: String(name ?? ''),
        version: String(version ?? ''),
        attributes: {},
        droppedAttributesCount: 0,
        schemaUrl,
      };
      tracer = new Tracer(this, scope);
      byVersion.set(key, tracer);
    }
    return tracer;
  }

  addSpanProcessor(p: SpanProcessor): void {
    this.processor.add(p);
  }

  register(options: RegisterOptions = {}): this {
    if (!trace.setGlobalTracerProvider(this))
      reportOnce('register', 'another global TracerProvider is already set');
    if (options.contextManager !== null) {
      const manager = options.contextManager ?? new AsyncLocalStorageContextManager();
      if (context.setGlobalContextManager(manager)) this.#contextManager = manager;
      else reportOnce('register-context', 'a global context manager is already set');
    }
    if (options.propagator !== null)
      propagation.setGlobalPropagator(options.propagator ?? propagatorFromEnv());
    return this;
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    this.#shutdown = true;
    await this.processor.shutdown();
  }
}
