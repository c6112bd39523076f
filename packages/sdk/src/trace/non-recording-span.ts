/**
 * The span handed out when a span is not recorded (sampled out or tracing suppressed). It
 * carries a context so that propagation still works, and makes its span id only when asked:
 * most unsampled spans never have theirs read.
 */
import type {
  Span as ApiSpan,
  Attributes,
  AttributeValue,
  Exception,
  Link,
  SpanContext,
  SpanStatus,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import type { IdGenerator } from './id-generator.ts';

export class NonRecordingSpan implements ApiSpan {
  #traceId: string;
  #spanId = '';
  readonly #traceFlags: number;
  readonly #traceState: TraceState | undefined;
  readonly #ids: IdGenerator | undefined;
  #context: SpanContext | undefined;

  /** With `ids` undefined, the span stands for an invalid context (tracing suppressed). */
  constructor(
    traceId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
    ids: IdGenerator | undefined,
  ) {
    this.#traceId = traceId;
    this.#traceFlags = traceFlags;
    this.#traceState = traceState;
    this.#ids = ids;
  }

  /** The trace id without forcing a span id into existence (for children). */
  get traceId(): string {
    if (this.#traceId === '' && this.#ids !== undefined) this.#traceId = this.#ids.generateTraceId();
    return this.#traceId === '' ? INVALID_TRACE : this.#traceId;
  }

  get traceFlags(): number {
    return this.#traceFlags;
  }

  get traceState(): TraceState | undefined {
    return this.#traceState;
  }

  spanContext(): SpanContext {
    if (this.#context === undefined) {
      const traceId = this.traceId;
      if (this.#spanId === '')
        this.#spanId = this.#ids === undefined ? INVALID_SPAN : this.#ids.generateSpanId();
      this.#context = { traceId, spanId: this.#spanId, traceFlags: this.#traceFlags };
      if (this.#traceState !== undefined) this.#context.traceState = this.#traceState;
    }
    return this.#context;
  }

  setAttribute(_key: string, _value: AttributeValue): this {
    return this;
  }
  setAttributes(_attributes: Attributes): this {
    return this;
  }
  addEvent(_name: string, _attributesOrTime?: Attributes | TimeInput, _time?: TimeInput): this {
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(_status: SpanStatus): this {
    return this;
  }
  updateName(_name: string): this {
    return this;
  }
  end(_endTime?: TimeInput): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(_exception: Exception, _time?: TimeInput): void {}
}

const INVALID_TRACE = '00000000000000000000000000000000';
const INVALID_SPAN = '0000000000000000';
