/**
 * Makes the running pipelines from a checked config: exporters first (shared by every pipeline
 * that names them), then each pipeline's own chain of processors built back to front, then the
 * receivers, each feeding every pipeline that lists it. Shutdown runs the other way round, so
 * what receivers took is flushed through processors before exporters close.
 */
import type { Lifecycle, ListeningReceiver, Stage } from '../component.ts';
import type { ValidConfig } from '../config/validate-config.ts';
import type { SpanConsumer } from '../span-consumer.ts';
import type { BuildContext, ComponentRegistry } from './component-registry.ts';
import { fanOut } from './fan-out.ts';

export interface RunningPipelines extends Lifecycle {
  /** Receiver id → its endpoints by protocol. */
  endpoints: Record<string, Record<string, string>>;
}

export async function buildPipelines(
  config: ValidConfig,
  registry: ComponentRegistry,
  ctx: BuildContext,
): Promise<RunningPipelines> {
  const exporters = new Map<string, Stage>();
  const processors: Stage[][] = [];
  const receivers: ListeningReceiver[] = [];
  const endpoints: Record<string, Record<string, string>> = {};

  const shutdown = async () => {
    await Promise.all(receivers.map((r) => r.shutdown()));
    // Each pipeline's processors in order, so a flush reaches the next one before it closes.
    await Promise.all(
      processors.map(async (chain) => {
        for (const p of chain) await p.shutdown?.();
      }),
    );
    await Promise.all([...exporters.values()].map((e) => e.shutdown?.()));
  };

  try {
    for (const [id, c] of config.exporters)
      exporters.set(id, registry.exporters[c.type].create(c.config as never, ctx, id));

    const heads = new Map<string, SpanConsumer[]>();
    for (const [name, p] of Object.entries(config.pipelines)) {
      let next: SpanConsumer = fanOut(p.exporters.map((id) => exporters.get(id) as Stage));
      const chain: Stage[] = [];
      for (const id of [...p.processors].reverse()) {
        const c = config.processors.get(id);
        if (!c) throw new Error(`pipeline ${name}: processor ${id} is not defined`);
        const stage = registry.processors[c.type].create(c.config as never, next, ctx, id);
        chain.unshift(stage);
        next = stage;
      }
      processors.push(chain);
      for (const id of p.receivers) heads.set(id, [...(heads.get(id) ?? []), next]);
    }

    for (const [id, c] of config.receivers) {
      const r = await registry.receivers[c.type].create(
        c.config as never,
        fanOut(heads.get(id) ?? []),
        ctx,
        id,
      );
      receivers.push(r);
      endpoints[id] = r.endpoints;
    }
  } catch (err) {
    await shutdown();
    throw err;
  }
  return { endpoints, shutdown };
}
