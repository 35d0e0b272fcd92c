// Closing kills the whole process tree, also behind `sh -c` wrappers, and quickly.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/core/catalog/loadCatalog';
import { isAlive, NODE, RAW_SERVER, tempDir } from './helpers';

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('process tree', () => {
  it('kills sh -c wrapper, server and grandchild (0 orphans), fast, even when SIGTERM is ignored', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids.json');
    // `; true` keeps sh alive as the parent (no exec optimisation), like npx or shell wrappers.
    const script = `${JSON.stringify(NODE)} ${JSON.stringify(RAW_SERVER)} tree ${JSON.stringify(pidFile)}; true`;
    const loaded = await loadCatalog({ cwd: dir, servers: { wrapped: { command: 'sh', args: ['-c', script] } } });
    expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
    await waitFor(pidFile);
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { server: number; grandchild: number; parent: number };
    expect(pids.parent).not.toBe(process.pid); // there really is a wrapper in between
    for (const pid of Object.values(pids)) expect(isAlive(pid)).toBe(true);
    const started = Date.now();
    await loaded.close();
    const closeMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
    const survivors = Object.values(pids).filter(isAlive);
    expect(survivors).toEqual([]);
    expect(closeMs).toBeLessThan(1500); // the SDK's close takes ~4 s for a server that ignores shutdown
    await loaded.close(); // idempotent
  });
});
