// Tool-search bench: recall@5 of the labelled query set (bench/searchQueries.ts) over the real
// reference servers' tools (the captured catalog in test/fixtures/stubs) and the embedded demo, plus
// the misses, so a change to the ranking shows what it gained and lost. `node dist/bench.js search`.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCatalogFile } from '../src/core/catalog/catalogFile';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import type { Catalog } from '../src/core/catalog/types';
import { searchTools } from '../src/core/discovery/toolSearch';
import { HELD_OUT_QUERIES, SEARCH_QUERIES, type LabelledQuery } from './searchQueries';

/** The reference servers' catalog (captured from the real servers) plus the demo's tools, as one catalog. */
export async function searchBenchCatalog(root = process.cwd()): Promise<Catalog> {
  const raw: unknown = JSON.parse(readFileSync(path.join(root, 'test/fixtures/stubs/referenceServers.catalog.json'), 'utf8'));
  const reference = parseCatalogFile(raw);
  const demo = await loadCatalog({ cwd: mkdtempSync(path.join(os.tmpdir(), 'tw-bench-search-')), useDemoWhenEmpty: true });
  await demo.close();
  return { id: 'search-bench', servers: [...reference.servers, ...demo.catalog.servers] };
}

export interface RecallReport {
  recall: number;
  hits: number;
  total: number;
  misses: Array<{ query: string; expect: string[]; got: string[] }>;
}

/** Share of queries with a right answer in the top `k`. */
export function recallAt(catalog: Catalog, queries: readonly LabelledQuery[], k = 5): RecallReport {
  const misses: RecallReport['misses'] = [];
  for (const q of queries) {
    const got = searchTools(catalog, q.query, { limit: k }).map((h) => `${h.server}/${h.tool}`);
    if (!got.some((g) => q.expect.includes(g))) misses.push({ query: q.query, expect: q.expect, got });
  }
  const hits = queries.length - misses.length;
  return { recall: hits / queries.length, hits, total: queries.length, misses };
}

export async function run(): Promise<void> {
  const catalog = await searchBenchCatalog();
  const tools = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  const r = recallAt(catalog, SEARCH_QUERIES, 5);
  const held = recallAt(catalog, HELD_OUT_QUERIES, 5);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) for (const q of SEARCH_QUERIES) searchTools(catalog, q.query, { limit: 5 });
  const perQuery = (performance.now() - t0) / (20 * SEARCH_QUERIES.length);
  console.log(`\nTool search: recall@5 over ${r.total} labelled queries, ${tools} tools (everything, filesystem, memory, demo)`);
  console.table([
    { set: 'labelled (tuned on)', 'recall@5': `${(r.recall * 100).toFixed(1)} %`, hits: r.hits, queries: r.total, 'ms per query': perQuery.toFixed(3) },
    { set: 'held out', 'recall@5': `${(held.recall * 100).toFixed(1)} %`, hits: held.hits, queries: held.total, 'ms per query': '' },
  ]);
  const misses = [...r.misses, ...held.misses];
  if (misses.length) console.table(misses.map((m) => ({ query: m.query, expected: m.expect.join(', '), 'top 5': m.got.join(', ') })));
}
