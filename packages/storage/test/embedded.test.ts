import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openEmbeddedStore } from '../src/index.ts';
import { storageConformance } from './conformance.ts';

const dir = mkdtempSync(join(tmpdir(), 'genba-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

storageConformance('embedded chdb', {
  open: () => openEmbeddedStore({ dataDir: dir }),
  reopen: () => openEmbeddedStore({ dataDir: dir }),
});
