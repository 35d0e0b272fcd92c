// Catalog benchmark: time from start to a full catalog of the three reference servers (stdio),
// each alone and all connected in parallel, plus the in-process demo and close (process-tree kill).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../src/core/catalog/loadCatalog';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Prints a table of load/close times (median and max of RUNS runs). */
export async function run(): Promise<void> {
  const root = process.cwd();
  const bin = (pkg: string): string => path.join(root, 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-bench-catalog-'));
  const node = process.execPath;
  const servers: Record<string, unknown> = {
    everything: { command: node, args: [bin('server-everything')] },
    filesystem: { command: node, args: [bin('server-filesystem'), dir] },
    memory: { command: node, args: [bin('server-memory')], env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
  };
  const cases: [string, Record<string, unknown> | undefined][] = [
    ...Object.entries(servers).map(([name, def]): [string, Record<string, unknown>] => [name, { [name]: def }]),
    ['all three in parallel', servers],
    ['demo (in-process)', undefined],
  ];
  const rows: Record<string, string | number>[] = [];
  for (const [label, defs] of cases) {
    const load: number[] = [];
    const close: number[] = [];
    let tools = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const loaded = await loadCatalog(defs ? { cwd: dir, servers: defs } : { cwd: dir, useDemoWhenEmpty: true });
      const t1 = performance.now();
      await loaded.close();
      load.push(t1 - t0);
      close.push(performance.now() - t1);
      const failed = loaded.catalog.servers.filter((s) => s.status.state === 'error');
      if (failed.length) throw new Error(`bench: ${failed.map((s) => s.name).join(', ')} failed to connect`);
      tools = loaded.catalog.servers.reduce((n, s) => n + s.tools.length, 0);
    }
    rows.push({
      case: label,
      tools,
      'load median ms': Math.round(median(load)),
      'load max ms': Math.round(Math.max(...load)),
      'close median ms': Math.round(median(close)),
    });
  }
  console.log(`\nCatalog: start → full catalog (${RUNS} runs, stdio, Node ${process.version})`);
  console.table(rows);
}
