// OpenAPI scale benchmark: GitHub's description (@octokit/openapi, ~1,200 operations, 13 MB) →
// catalog (read + parse, convert, catalog id) → stubs (render + write) → search index (first query,
// then warm queries). Each phase is timed separately, median of a few runs after a warm-up.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCatalog } from '../src/core/catalog/catalogId';
import { convertSpec } from '../src/core/catalog/openapi/operations';
import { loadSpec } from '../src/core/catalog/openapi/specLoad';
import { renderStubs } from '../src/core/stubs/renderStubs';
import { writeStubs } from '../src/core/stubs/writeStubs';
import { searchTools } from '../src/core/discovery/toolSearch';

const SPEC = path.resolve('node_modules/@octokit/openapi/generated/api.github.com.json');
const RUNS = 3;
const QUERIES = ['list pull requests of a repo', 'create an issue comment', 'list workflow runs', 'get the contents of a file', 'star a repository'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Prints the OpenAPI table. */
export async function run(): Promise<void> {
  const times: Record<string, number[]> = { 'read + parse spec': [], 'convert operations': [], 'catalog id + identifiers': [], 'render stubs': [], 'write stubs (cold)': [], 'search: index + first query': [], 'search: warm query': [] };
  let tools = 0;
  let catalogBytes = 0;
  let stubBytes = 0;
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const spec = await loadSpec(SPEC);
    const t1 = performance.now();
    const api = convertSpec(spec);
    const t2 = performance.now();
    // A distinct server name per run: the search index is cached by catalog id.
    const catalog = buildCatalog([{ name: `github${i}`, source: 'openapi', status: { state: 'connected' }, tools: api.tools }]);
    const t3 = performance.now();
    const files = renderStubs(catalog);
    const t4 = performance.now();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-bench-openapi-'));
    await writeStubs(catalog, dir);
    const t5 = performance.now();
    rmSync(dir, { recursive: true, force: true });
    const t6 = performance.now();
    searchTools(catalog, QUERIES[0] as string);
    const t7 = performance.now();
    for (const q of QUERIES) searchTools(catalog, q);
    const t8 = performance.now();
    if (i === 0) {
      tools = api.tools.length;
      catalogBytes = Buffer.byteLength(JSON.stringify(catalog));
      stubBytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
      continue; // warm-up
    }
    times['read + parse spec']!.push(t1 - t0);
    times['convert operations']!.push(t2 - t1);
    times['catalog id + identifiers']!.push(t3 - t2);
    times['render stubs']!.push(t4 - t3);
    times['write stubs (cold)']!.push(t5 - t4);
    times['search: index + first query']!.push(t7 - t6);
    times['search: warm query']!.push((t8 - t7) / QUERIES.length);
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`\nOpenAPI: GitHub's description, ${tools} operations → ${tools} tools; catalog ${(catalogBytes / 1e6).toFixed(1)} MB JSON, stubs ${(stubBytes / 1e6).toFixed(1)} MB (median of ${RUNS} runs after a warm-up, Node ${process.version}, ${os.cpus().length} cores, load ${load})`);
  console.table(Object.entries(times).map(([phase, xs]) => ({ phase, 'median ms': Math.round(median(xs) * 10) / 10, 'min ms': Math.round(Math.min(...xs) * 10) / 10 })));
}
