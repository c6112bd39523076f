/** `host:port` endpoints as the OTel Collector writes them; `[::1]:4317` for IPv6. */
import type { AddressInfo } from 'node:net';
import { GenbaError } from '@genba/model';

export interface Endpoint {
  host: string;
  port: number;
}

export function parseEndpoint(text: string, what: string): Endpoint {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535)
    throw new GenbaError('bad_request', `${what}: expected host:port such as 127.0.0.1:4317, got "${text}"`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

export function formatEndpoint(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

/** `http://host:port` of a listening HTTP server, with the real port when 0 was asked for. */
export function listeningUrl(server: { address(): AddressInfo | string | null }): string {
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('the server is not listening on TCP');
  return `http://${formatEndpoint({ host: a.address, port: a.port })}`;
}
