/**
 * `genba serve` and `genba validate`: the config file, then the environment, then flags, in
 * rising precedence. Without a file, every receiver feeds the store (or, with `--role router`,
 * the backends named by `--backends`).
 */
import {
  ConfigError,
  DEFAULT_PIPELINES,
  defaultRegistry,
  readConfigFile,
  validateConfig,
  withOverrides,
} from '@genba/collector';
import { startServer } from './start-server.ts';

export interface ServeFlags {
  config?: string;
  dataDir?: string;
  listen?: string;
  otlpHttpPort?: number;
  queryPort?: number;
  maxBodyBytes?: number;
  storage?: string;
  retention?: string;
  role?: 'all' | 'router';
  backends?: string;
  logLevel?: string;
}

/** A router without a file: the default pipeline, with the load balancer over `backends` for the store. */
function routerConfig(backends: string[]): Record<string, unknown> {
  const traces = DEFAULT_PIPELINES.service.pipelines.traces;
  return {
    ...DEFAULT_PIPELINES,
    exporters: {
      loadbalancing: {
        routing_key: 'traceID',
        protocol: { otlp: { tls: { insecure: true } } },
        resolver: { static: { hostnames: backends } },
      },
    },
    service: { pipelines: { traces: { ...traces, exporters: ['loadbalancing'] } } },
  };
}

export async function runServe(o: ServeFlags): Promise<void> {
  const file = o.config ?? process.env.GENBA_CONFIG;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    let raw: unknown = file ? await readConfigFile(file) : undefined;
    if (!file && o.role === 'router') {
      const backends = (o.backends ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean);
      if (backends.length === 0)
        throw new ConfigError(['--role router needs --backends host1:4317,host2:4317']);
      raw = routerConfig(backends);
    }
    const config = withOverrides(raw, process.env, {
      data_dir: o.dataDir,
      listen: o.listen,
      storage: o.storage,
      retention: o.retention,
      role: o.role,
      log_level: o.logLevel,
      max_body_bytes: o.maxBodyBytes,
    });
    server = await startServer({
      config,
      configSource: file,
      otlpHttpPort: o.otlpHttpPort,
      queryPort: o.queryPort,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
    // One clear message; a stack trace helps nobody who only ran `npm start`.
    if (e.code === 'EADDRINUSE')
      console.error(
        `genba serve: ${e.address}:${e.port} is already in use; change the port in the config or flags`,
      );
    else console.error(`genba serve: ${e.message}`);
    process.exit(1);
  }
  const s = server;
  const g = s.settings;
  const keep = g.retentionDays ? `keeping spans ${g.retention}` : 'keeping spans for ever';
  const where =
    g.storage === 'embedded' ? `in ${g.data_dir}` : `at ${g.storage.replace(/\/\/[^@/]*@/, '//')}`;
  console.log(`genba serve: ${g.role === 'router' ? 'router, no store' : `store ${where}, ${keep}`}`);
  console.log(
    `  ${g.role === 'router' ? 'health' : 'web UI and Jaeger API'}`.padEnd(25) +
      `${s.urls.query}/${g.role === 'router' ? 'health' : ''}`,
  );
  for (const [id, eps] of Object.entries(s.endpoints))
    for (const [protocol, at] of Object.entries(eps)) {
      const otlpHttp = protocol === 'http' && (id === 'otlp' || id.startsWith('otlp/'));
      const label = otlpHttp ? 'OTLP/HTTP' : `${id} ${protocol}`;
      console.log(`  ${label.padEnd(22)} ${otlpHttp ? `${at}/v1/traces` : at}`);
    }
  console.log(`  metrics                ${s.urls.query}/metrics`);
  const stop = async () => {
    console.log('genba serve: shutting down');
    await s.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `genba validate FILE`: every problem with its key path, or a one-line summary; exit 1 when invalid. */
export async function runValidate(file: string): Promise<number> {
  try {
    const c = validateConfig(withOverrides(await readConfigFile(file), process.env), defaultRegistry, {
      source: file,
    });
    const pipelines = Object.entries(c.pipelines).map(
      ([name, p]) =>
        `${name}: ${p.receivers.join(', ')} → ${p.processors.join(' → ') || '(no processors)'} → ${p.exporters.join(', ')}`,
    );
    console.log(`${file} is valid\n${pipelines.map((p) => `  ${p}`).join('\n')}`);
    return 0;
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : `${file}: ${(err as Error).message}`);
    return 1;
  }
}
