// Tool-search bench: recall@5 of the labelled query set (bench/searchQueries.ts) over the real
// reference servers' tools (the captured catalog in test/fixtures/stubs) and the embedded demo, plus
// the misses, so a change to the ranking shows what it gained and lost; and the same over GitHub's
// OpenAPI description (1,223 operations). `node dist/bench.js search`.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCatalogFile } from '../src/core/catalog/catalogFile';
import { buildCatalog } from '../src/core/catalog/catalogId';
import { loadCatalog } from '../src/core/catalog/loadCatalog';
import { convertSpec } from '../src/core/catalog/openapi/operations';
import { loadSpec } from '../src/core/catalog/openapi/specLoad';
import type { Catalog } from '../src/core/catalog/types';
import { searchTools } from '../src/core/discovery/toolSearch';
import { GITHUB_HELD_OUT_QUERIES, GITHUB_QUERIES, HELD_OUT_QUERIES, SEARCH_QUERIES, type LabelledQuery } from './searchQueries';

/** The reference servers' catalog (captured from the real servers) plus the demo's tools, as one catalog. */
export async function searchBenchCatalog(root = process.cwd()): Promise<Catalog> {
  const raw: unknown = JSON.parse(readFileSync(path.join(root, 'test/fixtures/stubs/referenceServers.catalog.json'), 'utf8'));
  const reference = parseCatalogFile(raw);
  const demo = await loadCatalog({ cwd: mkdtempSync(path.join(os.tmpdir(), 'tw-bench-search-')), useDemoWhenEmpty: true });
  await demo.close();
  return { id: 'search-bench', servers: [...reference.servers, ...demo.catalog.servers] };
}

/** GitHub's OpenAPI description (node_modules/@octokit/openapi) as a catalog of one server `github`. */
export async function githubBenchCatalog(root = process.cwd()): Promise<Catalog> {
  const spec = await loadSpec(path.join(root, 'node_modules/@octokit/openapi/generated/api.github.com.json'));
  return buildCatalog([{ name: 'github', source: 'openapi', status: { state: 'connected' }, tools: convertSpec(spec).tools }]);
}

export interface RecallReport {
  recall: number;
  hits: number;
  total: number;
  /** Mean reciprocal rank of the first right answer within the top MRR_DEPTH (0 past it). */
  mrr: number;
  /** 1-based rank of the first right answer per query, 0 when not in the top MRR_DEPTH. */
  ranks: number[];
  misses: Array<{ query: string; expect: string[]; got: string[]; rank: number }>;
}

/** How deep the MRR looks: a right answer past it counts 0. */
export const MRR_DEPTH = 50;

/** Share of queries with a right answer in the top `k`, and the MRR over the top MRR_DEPTH. */
export function recallAt(catalog: Catalog, queries: readonly LabelledQuery[], k = 5): RecallReport {
  const misses: RecallReport['misses'] = [];
  const ranks: number[] = [];
  for (const q of queries) {
    const all = searchTools(catalog, q.query, { limit: Math.max(k, MRR_DEPTH) }).map((h) => `${h.server}/${h.tool}`);
    const rank = all.findIndex((g) => q.expect.includes(g)) + 1;
    ranks.push(rank);
    if (rank === 0 || rank > k) misses.push({ query: q.query, expect: q.expect, got: all.slice(0, k), rank });
  }
  const hits = queries.length - misses.length;
  const mrr = ranks.reduce((s, r) => s + (r ? 1 / r : 0), 0) / queries.length;
  return { recall: hits / queries.length, hits, total: queries.length, mrr, ranks, misses };
}

export async function run(): Promise<void> {
  const catalog = await searchBenchCatalog();
  const tools = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  const r = recallAt(catalog, SEARCH_QUERIES, 5);
  const held = recallAt(catalog, HELD_OUT_QUERIES, 5);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) for (const q of SEARCH_QUERIES) searchTools(catalog, q.query, { limit: 5 });
  const perQuery = (performance.now() - t0) / (20 * SEARCH_QUERIES.length);
  const github = await githubBenchCatalog();
  const ghTools = github.servers.reduce((n, s) => n + s.tools.length, 0);
  const gh = recallAt(github, GITHUB_QUERIES, 5);
  const ghHeld = recallAt(github, GITHUB_HELD_OUT_QUERIES, 5);
  const t1 = performance.now();
  for (let i = 0; i < 5; i++) for (const q of GITHUB_QUERIES) searchTools(github, q.query, { limit: 5 });
  const ghPerQuery = (performance.now() - t1) / (5 * GITHUB_QUERIES.length);
  console.log(`\nTool search: recall@5 and MRR (top ${MRR_DEPTH}) of labelled queries over ${tools} tools (everything, filesystem, memory, demo) and GitHub's ${ghTools} OpenAPI operations`);
  const row = (set: string, x: RecallReport, ms: string) => ({ set, 'recall@5': `${(x.recall * 100).toFixed(1)} %`, hits: x.hits, queries: x.total, MRR: x.mrr.toFixed(3), 'ms per query': ms });
  console.table([row('labelled (tuned on)', r, perQuery.toFixed(3)), row('held out', held, ''), row(`GitHub (${ghTools} operations)`, gh, ghPerQuery.toFixed(3)), row('GitHub held out', ghHeld, '')]);
  const misses = [...r.misses, ...held.misses, ...gh.misses, ...ghHeld.misses];
  if (misses.length) console.table(misses.map((m) => ({ query: m.query, expected: m.expect.join(', '), rank: m.rank || `> ${MRR_DEPTH}`, 'top 5': m.got.join(', ') })));
}
