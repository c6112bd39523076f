/**
 * Reads a YAML config file. Environment variables override the file's `genba:` section
 * (GENBA_STORAGE, GENBA_DATA_DIR, GENBA_LISTEN, GENBA_RETENTION), and CLI flags override both.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { ConfigError } from './config-error.ts';

const ENV: Record<string, string> = {
  GENBA_STORAGE: 'storage',
  GENBA_DATA_DIR: 'data_dir',
  GENBA_LISTEN: 'listen',
  GENBA_RETENTION: 'retention',
};

export async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read the file: ${(err as Error).message}`], path);
  }
  try {
    return parse(text, { maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError([`not valid YAML: ${(err as Error).message}`], path);
  }
}

/** Returns a copy of `raw` with `genba:` keys set from the environment and then from `overrides`. */
export function withOverrides(
  raw: unknown,
  env: Record<string, string | undefined>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  const out = { ...(base as Record<string, unknown>) };
  const genba = { ...((out.genba as Record<string, unknown> | undefined) ?? {}) };
  for (const [name, key] of Object.entries(ENV)) if (env[name] !== undefined) genba[key] = env[name];
  for (const [key, v] of Object.entries(overrides)) if (v !== undefined) genba[key] = v;
  out.genba = genba;
  return out;
}
