/**
 * Serves the built web UI (apps/web/dist) on the query port. Paths that are not files get
 * index.html, so the UI's own routes (/search, /trace/:id) load directly.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';

export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../apps/web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

async function sendFile(res: FastifyReply, file: string, immutable: boolean): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
  } catch {
    return false;
  }
  res.header('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  res.header('x-content-type-options', 'nosniff');
  await res.send(await readFile(file));
  return true;
}

/** Answers GET requests that no API route took. */
export function uiHandler(dir: string) {
  const root = normalize(dir + sep);
  return async (url: string, res: FastifyReply): Promise<void> => {
    const path = decodeURIComponent(url.split('?')[0]);
    const file = normalize(join(root, path));
    if (file.startsWith(root) && path !== '/' && (await sendFile(res, file, path.startsWith('/assets/'))))
      return;
    if (await sendFile(res, join(root, 'index.html'), false)) return;
    await res
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The web UI is not built. Run `npm run build:web` (npm start does it for you).');
  };
}
