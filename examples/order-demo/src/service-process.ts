/**
 * The parent's handle on one service process: spawn it, wait for it to listen, tell it its
 * peers, and stop it (politely first, SIGKILL when it does not go).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ExportStats } from '@genba/sdk';
import type { FromService, Peers, ServiceName, ToService } from './protocol.ts';

type Message<T extends FromService['type']> = Extract<FromService, { type: T }>;

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

export class ServiceProcess {
  readonly name: ServiceName;
  readonly #child: ChildProcess;
  readonly #log: (line: string) => void;
  /** Settles with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  #exit: number | string | undefined;
  #stopping = false;
  #exportStats: ExportStats | undefined;

  constructor(name: ServiceName, env: Record<string, string>, log: (line: string) => void) {
    this.name = name;
    this.#log = log;
    const file = fileURLToPath(new URL(`./services/${name}.ts`, import.meta.url));
    const childEnv = { ...process.env, ...env };
    // A parent under `node --test` must not make its children think they are test files.
    delete childEnv.NODE_TEST_CONTEXT;
    // cwd is this package, so `--import tsx` resolves from here whatever directory the parent ran in.
    this.#child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: PACKAGE_DIR,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [this.#child.stdout, this.#child.stderr])
      if (stream !== null) createInterface({ input: stream }).on('line', (line) => log(`[${name}] ${line}`));
    this.#child.on('error', (err) => log(`[${name}] ${err.message}`));
    this.#child.on('message', (m: FromService) => {
      if (m.type === 'stopped') this.#exportStats = m.export;
    });
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exit = code ?? signal ?? 'unknown';
        if (!this.#stopping) log(`[${name}] exited unexpectedly (${this.#exit})`);
        resolve(this.#exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves with the port once the service listens. */
  async ready(timeoutMs: number): Promise<number> {
    return (await this.#next('ready', timeoutMs)).port;
  }

  /** Tells the service where its peers listen; resolves once it has them. */
  async configure(peers: Peers, timeoutMs: number): Promise<void> {
    const configured = this.#next('configured', timeoutMs);
    this.#send({ type: 'peers', peers });
    await configured;
  }

  /**
   * Asks the service to drain, flush its spans and exit. After `timeoutMs` it is killed.
   * Resolves with its export counters (undefined when it never reported them).
   */
  async stop(timeoutMs: number): Promise<ExportStats | undefined> {
    this.#stopping = true;
    if (this.#exit === undefined) {
      this.#send({ type: 'stop' });
      const timer = setTimeout(() => {
        this.#log(`[${this.name}] did not stop within ${timeoutMs} ms; killing it`);
        this.kill();
      }, timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    return this.#exportStats;
  }

  /** Ends the process at once (no flush). For failures and the last-resort exit hook. */
  kill(): void {
    this.#stopping = true;
    if (this.#exit === undefined && this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }

  #send(message: ToService): void {
    if (this.#child.connected) this.#child.send(message);
  }

  #next<T extends FromService['type']>(type: T, timeoutMs: number): Promise<Message<T>> {
    const child = this.#child;
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (m: FromService) => {
        if (m.type !== type) return;
        done();
        resolve(m as Message<T>);
      };
      const onExit = () => {
        done();
        reject(new Error(`${this.name} exited (${this.#exit ?? 'unknown'}) before it was ${type}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} was not ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (this.#exit !== undefined) return onExit();
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }
}
