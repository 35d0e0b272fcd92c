// Writes the stub tree to disk: deterministic, incremental (unchanged files keep their bytes and
// mtime) and atomic per file (temp + rename). Invariant: it only overwrites or deletes files that
// carry the generated marker; a file the user wrote is never touched.
import { mkdir, open, readdir, readFile, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/types';
import { UsageError } from '../errors';
import { renderStubs, type GeneratedFile } from './renderStubs';
import { GENERATED_HEADER, GENERATED_MARKER } from './renderToolFile';
import { writeFileAtomic } from '../fsAtomic';

export interface WriteStubsOptions {
  /**
   * Declaration files beside tools.d.ts that tools.d.ts references (`/// <reference path>`), e.g.
   * skills.d.ts: a scripts tsconfig that includes only tools.d.ts (written before they existed, and
   * never rewritten) still sees them. The caller makes sure each one exists (a missing one is TS6053).
   */
  references?: readonly string[];
}

/** tools.d.ts with reference lines right after its generated header (triple-slash directives must precede code). */
function withReferences(content: string, references: readonly string[]): string {
  if (!references.length || !content.startsWith(GENERATED_HEADER)) return content;
  const lines = references.map((r) => `/// <reference path="./${r}" />\n`).join('');
  return `${GENERATED_HEADER}\n${lines}${content.slice(GENERATED_HEADER.length + 1)}`;
}

export interface WriteStubsReport {
  /** Paths (relative, `/`-separated, sorted) whose content changed or that are new. */
  written: string[];
  unchanged: string[];
  /** Generated files of tools or servers that are gone. */
  deleted: string[];
  ms: number;
}

/** The marker must appear this early in a file for it to count as ours. */
const MARKER_WINDOW = 512;
const WRITE_CONCURRENCY = 16;
/** Written last, so a reader starting from the root never sees it ahead of its targets. */
const ROOT_FILES = new Set(['tools.d.ts', 'manifest.json', 'tsconfig.json']);

function isGenerated(text: string): boolean {
  return text.slice(0, MARKER_WINDOW).includes(GENERATED_MARKER);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether a file carries the marker, reading only its head (foreign files may be large). */
async function hasMarker(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const buf = Buffer.alloc(MARKER_WINDOW * 4);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return isGenerated(buf.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

async function listFiles(dir: string, rel: string, out: string[], recurse: boolean): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isFile()) out.push(r);
    else if (e.isDirectory() && recurse) await listFiles(path.join(dir, e.name), r, out, true);
  }
}

/** Removes the folders we emptied (deepest first), up to but excluding `outDir`; never others. */
async function removeEmptiedDirs(outDir: string, deleted: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const p of deleted) {
    for (let d = path.posix.dirname(p); d !== '.' && d !== ''; d = path.posix.dirname(d)) dirs.add(d);
  }
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  for (const d of deepestFirst) {
    const abs = path.join(outDir, d);
    const left = await readdir(abs).catch(() => undefined);
    if (left && left.length === 0) await rmdir(abs).catch(() => undefined);
  }
}

async function inPool<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
}

/**
 * Renders the stubs of `catalog` into `outDir` (created if missing). Files whose content is
 * unchanged are not rewritten; generated files no longer produced are deleted, then empty server
 * folders. Throws a UsageError when a file the user wrote sits where a stub must go.
 */
export async function writeStubs(catalog: Catalog, outDir: string, opts: WriteStubsOptions = {}): Promise<WriteStubsReport> {
  const t0 = performance.now();
  const refs = opts.references ?? [];
  const files = renderStubs(catalog).map((f) => (f.path === 'tools.d.ts' && refs.length ? { ...f, content: withReferences(f.content, refs) } : f));
  const written: string[] = [];
  const unchanged: string[] = [];
  const pending: GeneratedFile[] = [];
  await inPool(files, async (f) => {
    const existing = await readText(path.join(outDir, f.path));
    if (existing === f.content) unchanged.push(f.path);
    else if (existing !== undefined && !isGenerated(existing)) {
      throw new UsageError(`${path.join(outDir, f.path)} was not generated by ToolWeaver, so it is left alone; move it or choose another --out folder.`);
    } else pending.push(f);
  });
  const dirs = new Set(pending.map((f) => path.dirname(path.join(outDir, f.path))));
  for (const d of [...dirs].sort()) await mkdir(d, { recursive: true });
  const [inner, root] = [pending.filter((f) => !ROOT_FILES.has(f.path)), pending.filter((f) => ROOT_FILES.has(f.path))];
  for (const batch of [inner, root]) {
    await inPool(batch, async (f) => {
      await writeFileAtomic(path.join(outDir, f.path), f.content);
      written.push(f.path);
    });
  }

  const wanted = new Set(files.map((f) => f.path));
  const present: string[] = [];
  await listFiles(outDir, '', present, false);
  await listFiles(path.join(outDir, 'servers'), 'servers', present, true);
  const deleted: string[] = [];
  await inPool(
    present.filter((p) => !wanted.has(p)),
    async (p) => {
      if (!(await hasMarker(path.join(outDir, p)))) return;
      await unlink(path.join(outDir, p));
      deleted.push(p);
    },
  );
  await removeEmptiedDirs(outDir, deleted);
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    written: written.sort(byPath),
    unchanged: unchanged.sort(byPath),
    deleted: deleted.sort(byPath),
    ms: Math.round((performance.now() - t0) * 10) / 10,
  };
}
