// Learned output types end to end: samples from the trace store, one inferred schema per tool, the
// files updated (discarded entries stay discarded), and a catalog with the types applied to the tools
// that declare no outputSchema. Invariant: a declared outputSchema always wins; a pinned type wins
// over a learned one; only ok, whole (uncut) results are samples.
import path from 'node:path';
import type { Catalog, CatalogTool, LearnedOutput } from '../catalog/types';
import type { Trace } from '../trace/schema';
import type { TraceStore } from '../trace/store';
import { inferSchema } from './inferSchema';
import { LEARNED_TYPES_FILE, PINNED_TYPES_FILE, readTypesFile, typesKey, writeTypesFile, type TypesEntry, type TypesFile } from './typesFile';

/** Traces read for samples, newest first. */
export const DEFAULT_LEARN_TRACES = 200;

/** Recorded result samples per `server/tool`, from whole results of ok spans. */
export function samplesOf(traces: readonly Trace[], filter?: { server?: string; tool?: string }): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const t of traces) {
    for (const s of t.spans) {
      if (s.kind !== 'tool' || s.status !== 'ok' || !s.result || s.result.truncated || s.result.value === undefined) continue;
      // A replayed answer is the same recorded value again: not a new sample.
      if (s.replay === 'replayed') continue;
      if (filter?.server !== undefined && s.server !== filter.server) continue;
      if (filter?.tool !== undefined && s.tool !== filter.tool) continue;
      const key = typesKey(s.server, s.tool);
      out.set(key, [...(out.get(key) ?? []), s.result.value]);
    }
  }
  return out;
}

/** The finished traces of the store, newest first (corrupt ones skipped). */
export async function recentTraces(store: TraceStore, limit = DEFAULT_LEARN_TRACES): Promise<Trace[]> {
  const { traces } = await store.list({ limit });
  const out: Trace[] = [];
  for (const t of traces) {
    if (t.status === 'running') continue;
    try {
      out.push(await store.read(t.id));
    } catch {
      // A trace that vanished or broke since the listing: skip it.
    }
  }
  return out;
}

/** Infers one entry per sampled tool. `date` is YYYY-MM-DD. */
export function inferEntries(samples: ReadonlyMap<string, unknown[]>, date: string): Map<string, TypesEntry> {
  const out = new Map<string, TypesEntry>();
  for (const [key, values] of samples) if (values.length > 0) out.set(key, { schema: inferSchema(values), calls: values.length, date });
  return out;
}

/** The learned file after a new inference: new entries replace old ones, except discarded ones
 *  (unless `reinfer` names them, the CodeLens Re-infer). */
export function mergeLearned(file: TypesFile, inferred: ReadonlyMap<string, TypesEntry>, reinfer: ReadonlySet<string> = new Set()): TypesFile {
  const tools = { ...file.tools };
  for (const [key, entry] of inferred) {
    if (tools[key]?.discarded && !reinfer.has(key)) continue;
    tools[key] = entry;
  }
  return { version: file.version, tools };
}

/** `tool` with its learned output type (none when it declares an outputSchema). */
function withLearned(server: string, tool: CatalogTool, learned: TypesFile, pinned: TypesFile): CatalogTool {
  if (tool.outputSchema) return tool;
  const key = typesKey(server, tool.name);
  const p = pinned.tools[key];
  const l = learned.tools[key];
  const pick: LearnedOutput | undefined = p ? { schema: p.schema, calls: p.calls, date: p.date, pinned: true } : l && !l.discarded ? { schema: l.schema, calls: l.calls, date: l.date, pinned: false } : undefined;
  if (!pick) {
    if (!tool.learnedOutput) return tool;
    const { learnedOutput: _drop, ...rest } = tool;
    return rest;
  }
  return { ...tool, learnedOutput: pick };
}

/** The catalog with learned and pinned output types applied (same id: they are not server data). */
export function applyLearnedTypes(catalog: Catalog, learned: TypesFile, pinned: TypesFile): Catalog {
  return { ...catalog, servers: catalog.servers.map((s) => ({ ...s, tools: s.tools.map((t) => withLearned(s.name, t, learned, pinned)) })) };
}

/** The learned and pinned types of the workspace at `cwd` (missing files are empty). */
export async function loadTypesFiles(cwd: string): Promise<{ learned: TypesFile; pinned: TypesFile }> {
  const [learned, pinned] = await Promise.all([readTypesFile(path.join(cwd, LEARNED_TYPES_FILE)), readTypesFile(path.join(cwd, PINNED_TYPES_FILE))]);
  return { learned, pinned };
}

/** `catalog` with the workspace's learned and pinned types applied. */
export async function withWorkspaceTypes(catalog: Catalog, cwd: string): Promise<Catalog> {
  const { learned, pinned } = await loadTypesFiles(cwd);
  return applyLearnedTypes(catalog, learned, pinned);
}

export interface InferOptions {
  store: TraceStore;
  cwd: string;
  server?: string;
  tool?: string;
  /** Re-infer these keys even when discarded (the CodeLens Re-infer). */
  reinfer?: ReadonlySet<string>;
  /** YYYY-MM-DD; default today (UTC). */
  date?: string;
  limit?: number;
}

/** Infers from the store's recent traces and updates the learned file; returns the new entries. */
export async function inferWorkspaceTypes(opts: InferOptions): Promise<Map<string, TypesEntry>> {
  const traces = await recentTraces(opts.store, opts.limit);
  const entries = inferEntries(samplesOf(traces, { server: opts.server, tool: opts.tool }), opts.date ?? new Date().toISOString().slice(0, 10));
  const file = path.join(opts.cwd, LEARNED_TYPES_FILE);
  const current = await readTypesFile(file);
  await writeTypesFile(file, mergeLearned(current, entries, opts.reinfer));
  return entries;
}

/** Accept: the learned type of `key` goes into the pinned file (kept in the repo). False when there is none. */
export async function pinType(cwd: string, key: string): Promise<boolean> {
  const { learned, pinned } = await loadTypesFiles(cwd);
  const entry = learned.tools[key];
  if (!entry || entry.discarded) return false;
  const { discarded: _d, ...kept } = entry;
  await writeTypesFile(path.join(cwd, PINNED_TYPES_FILE), { ...pinned, tools: { ...pinned.tools, [key]: kept } });
  return true;
}

/** Discard: the type of `key` is unpinned and the learned one set aside until Re-infer. */
export async function discardType(cwd: string, key: string): Promise<void> {
  const { learned, pinned } = await loadTypesFiles(cwd);
  if (pinned.tools[key]) {
    const tools = { ...pinned.tools };
    delete tools[key];
    await writeTypesFile(path.join(cwd, PINNED_TYPES_FILE), { ...pinned, tools });
  }
  const entry = learned.tools[key] ?? { schema: {}, calls: 0, date: new Date().toISOString().slice(0, 10) };
  await writeTypesFile(path.join(cwd, LEARNED_TYPES_FILE), { ...learned, tools: { ...learned.tools, [key]: { ...entry, discarded: true } } });
}
