// Ranked tool search (BM25F over names, titles, descriptions and parameters, length normalised per
// field, a name-precision factor, prefix matches and a small synonym/stemming step), then observed
// reliability and cost when the caller passes figures (observed.ts), and describeTool. One index per
// catalog id, cached; search never mutates the catalog and returns the same ranking for the same
// catalog, query and figures.
import type { Catalog, CatalogServer, CatalogTool } from '../catalog/types';
import { ToolError } from '../errors';
import type { DescribeDetail } from '../codeMode/tools';
import { toolCompact, toolSignature, toolStub } from './stubText';
import { DEFAULT_SEARCH_LIMIT } from '../codeMode/tools';
import { observedFactor, observedLine, type ObservedTool, type ToolFigures } from './observed';

export interface ToolSearchHit {
  /** Original server name. */
  server: string;
  /** Original tool name. */
  tool: string;
  /** Identifier path under `tools`: `tools.<ident>(...)`, e.g. `github.createIssue`. */
  ident: string;
  /** relevance × observedFactor(observed): what the ranking sorts by. */
  score: number;
  /** The text match alone (BM25F + exact-name bonus). */
  relevance: number;
  /** One-line TypeScript signature with the summary as a trailing comment. */
  signature: string;
  /** What past runs showed, when the caller passed figures and the tool was called. */
  observed?: ObservedTool;
}

export interface SearchOptions {
  /** Most results returned; default DEFAULT_SEARCH_LIMIT (codeMode/tools). */
  limit?: number;
  /** Observed figures from past runs: re-rank by reliability and cost, and return them per hit. */
  observed?: ToolFigures;
}

/** Field weights: a name hit says far more than a word deep in a description. */
const WEIGHTS = { name: 4, title: 2.5, params: 1.5, description: 1, paramDocs: 0.6 } as const;
type Field = keyof typeof WEIGHTS;
/**
 * Length normalisation per field (true BM25F): a field's term frequency is divided by
 * 1 − b + b · len / avgLen of that field, so a query word in a short name counts for more than the
 * same word in a long one. The name's b is high: `pulls/list` made only of query words must beat
 * `interactions/get-pull-request-bypass-list-for-repo`, which holds them among five others.
 */
const FIELD_B: Record<Field, number> = { name: 0.9, title: 0.6, params: 0.3, description: 0.5, paramDocs: 0.3 };
const K1 = 2;
/** Name precision: the score is multiplied by 1 + NAME_PRECISION · (share of the name's words the query
 *  matched), so of two names that hold the query's words the one with fewer other words wins. */
const NAME_PRECISION = 1;
const PREFIX_FACTOR = 0.6;
const SYNONYM_FACTOR = 0.5;
const CACHE_SIZE = 8;

const STOP = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'and', 'or', 'with', 'by', 'is', 'it', 'this', 'that', 'from', 'as', 'at', 'be', 'me', 'my', 'all', 'i']);

/** Groups of words a user may type for the same thing (stemmed forms). */
const SYNONYM_GROUPS: string[][] = [
  ['get', 'fetch', 'read', 'retriev', 'load', 'show', 'view', 'open'],
  ['list', 'enumer', 'all', 'brows'],
  ['creat', 'add', 'new', 'make', 'insert', 'writ'],
  ['delet', 'remov', 'destroy', 'drop', 'eras'],
  ['updat', 'edit', 'modifi', 'chang', 'patch', 'set'],
  ['search', 'find', 'queri', 'lookup', 'look', 'grep'],
  ['file', 'document', 'doc'],
  ['dir', 'directori', 'folder'],
  ['issu', 'ticket', 'bug'],
  ['user', 'person', 'member', 'account'],
  ['send', 'post', 'publish'],
  ['run', 'execut', 'invok', 'start'],
  ['messag', 'mail', 'email'],
  ['sum', 'add', 'total'],
  ['weather', 'forecast', 'temperatur'],
  // Concepts: words a task is put in that tools rarely use (bench/searchQueries.ts measures them).
  ['imag', 'pictur', 'photo', 'logo', 'icon', 'screenshot'],
  ['remember', 'memori', 'knowledg', 'recall'],
  ['fact', 'observation', 'observ'],
  ['person', 'peopl', 'someon', 'entiti', 'contact'],
  ['link', 'relation', 'relationship', 'connect', 'connection'],
  ['forget', 'delet'],
  ['comment', 'not', 'annotat', 'remark'],
  ['purchas', 'order', 'bought', 'buy'],
  ['client', 'customer'],
  ['nest', 'tree', 'recursiv', 'hierarchi', 'structur', 'subfolder'],
  // Abbreviations API names use for the words a person types (GitHub: repos/…, orgs/…).
  ['repo', 'repositori'],
  ['org', 'organization', 'organis', 'organiz'],
];
const SYNONYMS = new Map<string, Set<string>>();
for (const group of SYNONYM_GROUPS) {
  for (const w of group) {
    const set = SYNONYMS.get(w) ?? new Set<string>();
    for (const o of group) if (o !== w) set.add(o);
    SYNONYMS.set(w, set);
  }
}

/** A deliberately small stemmer: enough to make "files"/"file" and "creating"/"create" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = w.slice(0, -1) + 'i';
  return w;
}

/** Splits camelCase, snake_case, kebab-case, dotted and spaced text into stemmed lowercase terms. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const spaced = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .toLowerCase();
  for (const raw of spaced.split(/[^a-z0-9]+/)) {
    if (!raw || STOP.has(raw)) continue;
    out.push(stem(raw));
  }
  return out;
}

interface Doc {
  server: CatalogServer;
  tool: CatalogTool;
  ident: string;
  /** Lowercased names that count as an exact match for the whole query. */
  names: string[];
  /** The distinct terms of the tool's own name (server name left out), for the name-precision factor. */
  nameTerms: string[];
  signature?: string;
}

interface Index {
  docs: Doc[];
  /** term → (doc index → BM25F pseudo-frequency: Σ over fields of weight · tf / field length norm). */
  postings: Map<string, Map<number, number>>;
  /** Sorted vocabulary, for prefix ranges. */
  vocab: string[];
}

const cache = new Map<string, Index>();

function paramText(schema: unknown, names: string[], docs: string[], depth = 0): void {
  if (typeof schema !== 'object' || schema === null || depth > 3) return;
  const props = (schema as { properties?: unknown }).properties;
  if (typeof props !== 'object' || props === null) return;
  for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
    names.push(k);
    if (typeof v === 'object' && v !== null) {
      const d = (v as { description?: unknown }).description;
      if (typeof d === 'string') docs.push(d);
      paramText(v, names, docs, depth + 1);
      paramText((v as { items?: unknown }).items, names, docs, depth + 1);
    }
  }
}

function buildIndex(catalog: Catalog): Index {
  const docs: Doc[] = [];
  const fieldNames = Object.keys(WEIGHTS) as Field[];
  // Pass 1: each document's terms per field, and each field's total length.
  const terms: Array<Record<Field, string[]>> = [];
  const totalLen: Record<Field, number> = { name: 0, title: 0, params: 0, description: 0, paramDocs: 0 };
  for (const server of catalog.servers) {
    for (const tool of server.tools) {
      const params: string[] = [];
      const paramDocs: string[] = [];
      paramText(tool.inputSchema, params, paramDocs);
      // The name and ident say the same words twice, so they are counted once; the server name is one
      // more term of every tool of that server.
      const nameTerms = [...new Set(tokenize(`${tool.name} ${tool.ident}`))];
      const fields: Record<Field, string[]> = {
        name: [...nameTerms, ...tokenize(server.name)],
        title: tokenize(tool.title ?? tool.annotations?.title ?? ''),
        params: tokenize(params.join(' ')),
        description: tokenize(tool.description ?? ''),
        paramDocs: tokenize(paramDocs.join(' ')),
      };
      for (const f of fieldNames) totalLen[f] += fields[f].length;
      terms.push(fields);
      const ident = `${server.ident}.${tool.ident}`;
      docs.push({
        server,
        tool,
        ident,
        nameTerms,
        names: [tool.name, tool.ident, ident, `tools.${ident}`, `${server.name}.${tool.name}`, `${server.name}/${tool.name}`].map((n) => n.toLowerCase()),
      });
    }
  }
  // Pass 2: the pseudo-frequency, normalised per field; it depends on no query, so it is computed once.
  const postings = new Map<string, Map<number, number>>();
  const avgLen = Object.fromEntries(fieldNames.map((f) => [f, docs.length ? totalLen[f] / docs.length : 0])) as Record<Field, number>;
  terms.forEach((fields, id) => {
    for (const f of fieldNames) {
      const list = fields[f];
      if (list.length === 0) continue;
      const norm = avgLen[f] > 0 ? 1 - FIELD_B[f] + (FIELD_B[f] * list.length) / avgLen[f] : 1;
      const w = WEIGHTS[f] / norm;
      for (const term of list) {
        let row = postings.get(term);
        if (!row) postings.set(term, (row = new Map()));
        row.set(id, (row.get(id) ?? 0) + w);
      }
    }
  });
  const vocab = [...postings.keys()].sort();
  return { docs, postings, vocab };
}

function indexFor(catalog: Catalog): Index {
  const hit = cache.get(catalog.id);
  if (hit) {
    cache.delete(catalog.id);
    cache.set(catalog.id, hit);
    return hit;
  }
  const idx = buildIndex(catalog);
  cache.set(catalog.id, idx);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return idx;
}

function prefixTerms(vocab: string[], prefix: string): string[] {
  let lo = 0;
  let hi = vocab.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((vocab[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < vocab.length && (vocab[i] as string).startsWith(prefix) && out.length < 50; i++) {
    if (vocab[i] !== prefix) out.push(vocab[i] as string);
  }
  return out;
}

function signatureOf(doc: Doc): string {
  doc.signature ??= toolSignature(doc.server, doc.tool);
  return doc.signature;
}

/**
 * The best-matching tools for a free-text query, best first. An empty query lists the first
 * `limit` tools in catalog order (score 0). Ties keep catalog order.
 */
export function searchTools(catalog: Catalog, query: string, opts: SearchOptions = {}): ToolSearchHit[] {
  const limit = Math.max(1, Math.floor(opts.limit ?? DEFAULT_SEARCH_LIMIT));
  const idx = indexFor(catalog);
  const n = idx.docs.length;
  const observedOf = (d: Doc): ObservedTool | undefined => opts.observed?.get(d.server.name, d.tool.name);
  const hit = (d: Doc, relevance: number, score = relevance): ToolSearchHit => {
    const h: ToolSearchHit = {
      server: d.server.name,
      tool: d.tool.name,
      ident: d.ident,
      score: Math.round(score * 1000) / 1000,
      relevance: Math.round(relevance * 1000) / 1000,
      signature: signatureOf(d),
    };
    const o = observedOf(d);
    if (o) h.observed = o;
    return h;
  };
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return idx.docs.slice(0, limit).map((d) => hit(d, 0));

  // term → factor; the strongest route wins when a term arrives by several.
  const weighted = new Map<string, number>();
  const bump = (t: string, f: number): void => {
    if (idx.postings.has(t) && (weighted.get(t) ?? 0) < f) weighted.set(t, f);
  };
  for (const t of terms) {
    bump(t, 1);
    if (t.length >= 2) for (const p of prefixTerms(idx.vocab, t)) bump(p, PREFIX_FACTOR);
    for (const s of SYNONYMS.get(t) ?? []) bump(s, SYNONYM_FACTOR);
  }
  const scores = new Float64Array(n);
  for (const [term, factor] of weighted) {
    const row = idx.postings.get(term) as Map<number, number>;
    const idf = Math.log(1 + (n - row.size + 0.5) / (row.size + 0.5));
    for (const [docId, tf] of row) {
      scores[docId] = (scores[docId] as number) + factor * idf * ((tf * (K1 + 1)) / (tf + K1));
    }
  }
  const q = query.trim().toLowerCase();
  const ranked: number[] = [];
  const final = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = idx.docs[i] as Doc;
    if ((scores[i] as number) > 0 && d.nameTerms.length > 0) {
      let matched = 0;
      for (const t of d.nameTerms) matched += weighted.get(t) ?? 0;
      scores[i] = (scores[i] as number) * (1 + (NAME_PRECISION * matched) / d.nameTerms.length);
    }
    if (d.names.includes(q)) scores[i] = (scores[i] as number) + 100;
    if ((scores[i] as number) > 0) {
      ranked.push(i);
      final[i] = (scores[i] as number) * (opts.observed ? observedFactor(observedOf(idx.docs[i] as Doc)) : 1);
    }
  }
  ranked.sort((a, b) => (final[b] as number) - (final[a] as number) || a - b);
  return ranked.slice(0, limit).map((i) => hit(idx.docs[i] as Doc, scores[i] as number, final[i] as number));
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min(tmp + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

/** Finds one tool by `server.tool`, `server/tool`, ident path (`github.createIssue`, optionally
 *  `tools.`-prefixed) or a bare tool name that is unique. Undefined when nothing or several match. */
export function findTool(catalog: Catalog, name: string): { server: CatalogServer; tool: CatalogTool } | undefined {
  const q = name.trim().toLowerCase();
  const idx = indexFor(catalog);
  const exact = idx.docs.filter((d) => d.names.slice(2).includes(q));
  const pick = exact.length === 1 ? exact : idx.docs.filter((d) => d.names.slice(0, 2).includes(q));
  const d = pick.length === 1 ? pick[0] : undefined;
  return d ? { server: d.server, tool: d.tool } : undefined;
}

/** The closest tool names to `name`, for "did you mean" messages. */
export function closestTools(catalog: Catalog, name: string, count = 3): string[] {
  const q = name.trim().toLowerCase().replace(/^tools\./, '');
  const idx = indexFor(catalog);
  const byEdit = idx.docs
    .map((d) => ({ d, dist: Math.min(distance(q, d.ident.toLowerCase()), distance(q, d.tool.ident.toLowerCase()) + 1) }))
    .sort((a, b) => a.dist - b.dist)
    .slice(0, count)
    .map((x) => x.d.ident);
  const bySearch = searchTools(catalog, name, { limit: count }).map((h) => h.ident);
  return [...new Set([...bySearch, ...byEdit])].slice(0, count);
}

/**
 * One tool described: `compact` (default) its signature with every parameter and one line of
 * description, `full` its whole stub file (JSDoc + types). Throws ToolError 'unknown_tool' naming
 * the closest tools when the name matches none or is ambiguous.
 */
export function describeTool(catalog: Catalog, name: string, detail: DescribeDetail = 'compact', observed?: ToolFigures): string {
  const found = findTool(catalog, name);
  if (found) {
    const text = detail === 'full' ? toolStub(catalog, found.server, found.tool) : toolCompact(found.server, found.tool);
    const o = observed?.get(found.server.name, found.tool.name);
    return o ? `${text}\n// ${observedLine(o)}` : text;
  }
  const near = closestTools(catalog, name);
  const hint = near.length ? ` Closest: ${near.map((n) => `tools.${n}`).join(', ')}.` : ' The catalog has no tools.';
  const [server = '', tool = name] = name.includes('.') ? name.split(/\.(.*)/s) : ['', name];
  throw new ToolError('unknown_tool', `No tool named "${name}" in the catalog (or the name is ambiguous).${hint} Use search_tools to find tools by what they do.`, { server, tool });
}

/** What tools.search / tools.describe inside a script call (structurally the sandbox's ToolDiscovery). */
export interface CatalogDiscovery {
  search(query: string, limit: number): Array<Pick<ToolSearchHit, 'server' | 'tool' | 'ident' | 'signature'>>;
  describe(name: string): string;
}

/** The discovery port of runs over `catalog` (sandbox RunOptions.discovery): searchTools and
 *  describeTool, ranked and described with `observed` figures when the caller has them. */
export function discoveryOf(catalog: Catalog, observed?: ToolFigures): CatalogDiscovery {
  return {
    search: (query, limit) => searchTools(catalog, query, { limit, observed }).map((h) => ({ server: h.server, tool: h.tool, ident: h.ident, signature: h.signature })),
    // Inside a script the text costs no model tokens unless returned; scripts get the whole stub.
    describe: (name) => describeTool(catalog, name, 'full', observed),
  };
}
