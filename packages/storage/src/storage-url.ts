/**
 * `--storage` addresses. `new URL` refuses a host list, so the parts are read by one pattern:
 * scheme://[user[:password]@]host:port[,host:port…][/database][?cluster=NAME].
 */
import { StorageError } from './errors.ts';
import { identifier } from './sql-literal.ts';

export interface StorageAddress {
  kind: 'server' | 'cluster';
  /** http(s)://host:port, one per shard for a cluster. */
  urls: string[];
  database: string;
  cluster?: string;
  user?: string;
  password?: string;
}

const PATTERN =
  /^(clickhouse(?:\+cluster)?)(s?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?@]+)(?:\/([^?]*))?(?:\?(.*))?$/;
const HOST = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

export function parseStorageAddress(text: string): StorageAddress {
  const m = PATTERN.exec(text);
  if (!m)
    throw new StorageError(
      `invalid --storage "${text}": expected embedded, clickhouse://host:8123/db or clickhouse+cluster://host1:8123,host2:8123/db?cluster=NAME`,
      'invalid',
    );
  const [, scheme, secure, user, password, hostList, path, query] = m;
  const hosts = hostList.split(',');
  for (const h of hosts)
    if (!HOST.test(h)) throw new StorageError(`invalid host "${h}" in --storage`, 'invalid');
  const protocol = secure ? 'https' : 'http';
  const params = new URLSearchParams(query ?? '');
  const address: StorageAddress = {
    kind: scheme === 'clickhouse' ? 'server' : 'cluster',
    urls: hosts.map((h) => `${protocol}://${HOST.exec(h)![2] ? h : `${h}:8123`}`),
    database: identifier(decodeURIComponent(path ?? '') || 'genba', 'database name'),
    user: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
  };
  if (address.kind === 'server' && hosts.length > 1)
    throw new StorageError('clickhouse:// takes one host; use clickhouse+cluster:// for shards', 'invalid');
  if (address.kind === 'cluster')
    address.cluster = identifier(params.get('cluster') ?? '', 'cluster name (?cluster=NAME)');
  return address;
}
