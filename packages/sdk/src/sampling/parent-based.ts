/**
 * Follows the parent's sampled flag, and asks the `root` sampler only for new traces, as the
 * OTel spec's ParentBased sampler does (with the four optional delegates for parents).
 */
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import { RecordingSpan } from '../trace/recording-span.ts';
import type { Sampler, SamplingResult } from '../types.ts';
import { AlwaysOffSampler, AlwaysOnSampler } from './always.ts';

export interface ParentBasedOptions {
  root: Sampler;
  remoteParentSampled?: Sampler;
  remoteParentNotSampled?: Sampler;
  localParentSampled?: Sampler;
  localParentNotSampled?: Sampler;
}

export class ParentBasedSampler implements Sampler {
  readonly root: Sampler;
  /** True when no delegate reads the trace id (see ignores-trace-id.ts). */
  readonly ignoresTraceId: boolean;
  readonly #remoteSampled: Sampler;
  readonly #remoteNotSampled: Sampler;
  readonly #localSampled: Sampler;
  readonly #localNotSampled: Sampler;

  constructor(options: ParentBasedOptions) {
    this.root = options.root;
    const on = new AlwaysOnSampler();
    const off = new AlwaysOffSampler();
    this.#remoteSampled = options.remoteParentSampled ?? on;
    this.#remoteNotSampled = options.remoteParentNotSampled ?? off;
    this.#localSampled = options.localParentSampled ?? on;
    this.#localNotSampled = options.localParentNotSampled ?? off;
    const known = (x: Sampler) => x instanceof AlwaysOnSampler || x instanceof AlwaysOffSampler;
    this.ignoresTraceId = [
      this.root,
      this.#remoteSampled,
      this.#remoteNotSampled,
      this.#localSampled,
      this.#localNotSampled,
    ].every(known);
  }

  shouldSample(
    ctx: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpan(ctx);
    let delegate: Sampler;
    // Our own spans answer without building a SpanContext object.
    if (parent instanceof RecordingSpan)
      delegate = parent.sampled ? this.#localSampled : this.#localNotSampled;
    else {
      const pc = parent?.spanContext();
      if (pc === undefined || !isSpanContextValid(pc)) delegate = this.root;
      else {
        const sampled = (pc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
        if (pc.isRemote) delegate = sampled ? this.#remoteSampled : this.#remoteNotSampled;
        else delegate = sampled ? this.#localSampled : this.#localNotSampled;
      }
    }
    return delegate.shouldSample(ctx, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `ParentBased{root=${this.root.toString()}}`;
  }
}
