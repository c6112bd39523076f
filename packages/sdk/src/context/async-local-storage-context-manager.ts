/**
 * The active context lives in an AsyncLocalStorage, so it follows `await`, timers, promises
 * and callbacks. `bind` also ties EventEmitter listeners to a context, since emitters call
 * listeners in whatever context `emit` runs in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import type { Context, ContextManager } from '@opentelemetry/api';
import { ROOT } from './linked-context.ts';

type Listener = (...args: unknown[]) => unknown;
const ADD = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVE = ['removeListener', 'off'] as const;
const BOUND = Symbol('genba.boundListeners');

export class AsyncLocalStorageContextManager implements ContextManager {
  #als = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.#als.getStore() ?? ROOT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (thisArg !== undefined) return this.#als.run(context, () => fn.apply(thisArg, args));
    return this.#als.run(context, fn, ...args);
  }

  bind<T>(context: Context, target: T): T {
    if (target instanceof EventEmitter) return this.#bindEmitter(context, target) as T;
    if (typeof target === 'function') {
      const manager = this;
      const fn = target as unknown as Listener;
      const bound = function (this: unknown, ...args: unknown[]) {
        return manager.with(context, () => fn.apply(this, args));
      };
      Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
      return bound as unknown as T;
    }
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.#als.disable();
    return this;
  }

  #bindEmitter(context: Context, emitter: EventEmitter): EventEmitter {
    const record = emitter as EventEmitter & { [BOUND]?: Map<Listener, Listener> };
    if (record[BOUND] !== undefined) return emitter; // already bound: keep the first context
    const bound = new Map<Listener, Listener>();
    record[BOUND] = bound;
    for (const name of ADD) {
      const original = emitter[name].bind(emitter);
      emitter[name] = ((event: string | symbol, listener: Listener) => {
        let wrapped = bound.get(listener);
        if (wrapped === undefined) {
          wrapped = this.bind(context, listener);
          bound.set(listener, wrapped);
        }
        return original(event, wrapped);
      }) as EventEmitter[typeof name];
    }
    for (const name of REMOVE) {
      const original = emitter[name].bind(emitter);
      emitter[name] = ((event: string | symbol, listener: Listener) =>
        original(event, bound.get(listener) ?? listener)) as EventEmitter[typeof name];
    }
    const removeAll = emitter.removeAllListeners.bind(emitter);
    emitter.removeAllListeners = (event?: string | symbol) => {
      if (event === undefined) bound.clear();
      return removeAll(event);
    };
    return emitter;
  }
}
