/**
 * Writes one test server's config.xml and users.xml: Debian's packaged files (the one source of
 * defaults) with our paths, our ports, loopback only, and optionally our own cluster in place of
 * the packaged `<remote_servers>` test clusters.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGED_CONFIG = '/etc/clickhouse-server/config.xml';
const PACKAGED_USERS = '/etc/clickhouse-server/users.xml';

export interface ServerPorts {
  readonly http: number;
  readonly tcp: number;
  readonly interserver: number;
}

/** A cluster of non-replicated shards on loopback, one shard per TCP port, in shard order. */
export interface ClusterLayout {
  readonly name: string;
  readonly shardTcpPorts: readonly number[];
}

/** Replaces exactly one match, so a changed packaged config fails loudly instead of being half-used. */
function replaceOne(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`${PACKAGED_CONFIG} has no ${pattern}; the test config needs it`);
  return text.replace(pattern, replacement);
}

export function remoteServersXml(cluster: ClusterLayout): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster.name)) {
    throw new Error(`cluster name ${JSON.stringify(cluster.name)} is not a plain identifier`);
  }
  // internal_replication=false: each shard has one replica and no ZooKeeper, so the Distributed
  // table itself writes every row to its shard.
  const shards = cluster.shardTcpPorts.map(
    (port) =>
      '      <shard>\n        <internal_replication>false</internal_replication>\n' +
      `        <replica><host>127.0.0.1</host><port>${port}</port></replica>\n      </shard>\n`,
  );
  return `<remote_servers>\n    <${cluster.name}>\n${shards.join('')}    </${cluster.name}>\n  </remote_servers>`;
}

/** Writes `dir/config.xml` and `dir/users.xml`; data and logs go under `dir`. Returns the config path. */
export function writeServerConfig(dir: string, ports: ServerPorts, cluster?: ClusterLayout): string {
  let config = readFileSync(PACKAGED_CONFIG, 'utf8')
    .replaceAll('/var/lib/clickhouse/', `${dir}/data/`)
    .replaceAll('/var/log/clickhouse-server/', `${dir}/log/`);
  config = replaceOne(config, /<http_port>\d+<\/http_port>/, `<http_port>${ports.http}</http_port>`);
  config = replaceOne(config, /<tcp_port>\d+<\/tcp_port>/, `<tcp_port>${ports.tcp}</tcp_port>`);
  config = replaceOne(
    config,
    /<interserver_http_port>\d+<\/interserver_http_port>/,
    `<interserver_http_port>${ports.interserver}</interserver_http_port>`,
  );
  config = config.replace(/<listen_host>::1<\/listen_host>/, '');
  if (cluster !== undefined) {
    config = replaceOne(
      config,
      /<remote_servers\b[^>]*>[\s\S]*?<\/remote_servers>/,
      remoteServersXml(cluster),
    );
  }
  const path = join(dir, 'config.xml');
  writeFileSync(path, config);
  writeFileSync(join(dir, 'users.xml'), readFileSync(PACKAGED_USERS, 'utf8'));
  return path;
}
