// One JSON file per run (`<id>.json`) in a directory, written atomically (temp + fsync + rename),
// with retention by count and total size. File names come only from validated trace ids; a
// `running` trace whose process is gone is finalised as `interrupted` when the store is next opened.
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { IoError, TraceStoreError, describeCause, describeSystemError, systemErrorCode } from '../errors';
import { systemClock, silentLogger, type Clock, type Logger } from '../ports';
import { closeOpenSpans } from './lifecycle';
import { TRACE_ID_PATTERN, TraceSchema, type Trace, type TraceStatus } from './schema';
import { makeDir, writeFileAtomic } from '../fsAtomic';
import { RAW_TAPE_DIR } from './rawTape';

export interface TraceStoreOptions {
  dir: string;
  /** Finished traces kept (oldest deleted first). Default 500. */
  maxCount?: number;
  /** Total bytes of trace files kept. Default 100 MiB. */
  maxBytes?: number;
  logger?: Logger;
  clock?: Clock;
  /** Whether a process is alive (default: `process.kill(pid, 0)`). */
  isAlive?: (pid: number) => boolean;
  /** A running trace older than its timeout plus this grace is interrupted even if its pid is
   *  alive (pid reuse, a hung host). Default 5 minutes. */
  staleGraceMs?: number;
}

/** What `list` shows without parsing whole traces (cached in `index.json`). */
export interface TraceSummary {
  id: string;
  status: TraceStatus;
  startedAt: string;
  startedAtMs: number;
  durationMs?: number;
  scriptPath?: string;
  origin?: string;
  toolCalls: number;
  errorCode?: string;
  /** Token reduction of code mode vs classic, when the account was computed. */
  reduction?: number;
  tokensSaved?: number;
  /** File size in bytes. */
  bytes: number;
}

export interface TraceStore {
  readonly dir: string;
  /** Path of a trace's file; throws TraceStoreError('invalid_trace_id') for anything but an id. */
  file(id: string): string;
  /** Writes a trace (in-progress or final) atomically; returns its file. No retention. */
  put(trace: Trace): Promise<string>;
  /** Writes a finished trace, then applies retention; returns its file. */
  write(trace: Trace): Promise<string>;
  read(id: string): Promise<Trace>;
  /** Newest first. Unreadable files are reported in `corrupt`, never thrown. */
  list(opts?: { limit?: number }): Promise<{ traces: TraceSummary[]; corrupt: { id: string; message: string }[] }>;
  /** Finalises running traces of dead processes; returns their ids. Runs once on first use. */
  recover(): Promise<string[]>;
  /**
   * Deletes every finished trace, the index and the raw tapes; returns how many traces went. Only this
   * store's own files (trace ids, index.json, tapes/) are touched, and runs still in progress are kept.
   */
  clear(): Promise<number>;
}

export const DEFAULT_TRACE_DIR = path.join('.toolweaver', 'traces');
export const DEFAULT_MAX_TRACES = 500;
export const DEFAULT_MAX_TRACE_BYTES = 100 * 1024 * 1024;
const INDEX_FILE = 'index.json';
/** Traces may hold data the user would not share: private, and synced before they count. */
const TRACE_WRITE = { sync: true, mode: 0o600 } as const;

interface IndexEntry {
  mtimeMs: number;
  size: number;
  summary: TraceSummary;
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function summarize(t: Trace, bytes: number): TraceSummary {
  return {
    id: t.id,
    status: t.status,
    startedAt: t.startedAt,
    startedAtMs: t.startedAtMs,
    durationMs: t.endedAtMs !== undefined ? t.endedAtMs - t.startedAtMs : undefined,
    scriptPath: t.script.path,
    origin: t.origin,
    toolCalls: t.spans.filter((s) => s.kind === 'tool').length,
    errorCode: t.error?.code,
    reduction: t.tokens?.savings?.reduction,
    tokensSaved: t.tokens?.savings?.total,
    bytes,
  };
}

/** Opens (lazily creates) a trace store in `opts.dir`. */
export function createTraceStore(opts: TraceStoreOptions): TraceStore {
  const dir = path.resolve(opts.dir);
  const maxCount = opts.maxCount ?? DEFAULT_MAX_TRACES;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_TRACE_BYTES;
  const logger = opts.logger ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  const isAlive = opts.isAlive ?? defaultIsAlive;
  const grace = opts.staleGraceMs ?? 5 * 60_000;
  let ready: Promise<void> | undefined;
  let recovered: Promise<string[]> | undefined;
  // Summaries of files this store wrote itself, so scans don't re-read what it just wrote.
  const written = new Map<string, IndexEntry>();

  function file(id: string): string {
    if (typeof id !== 'string' || !TRACE_ID_PATTERN.test(id)) {
      throw new TraceStoreError('invalid_trace_id', `"${String(id).slice(0, 80)}" is not a trace id (expected e.g. 20261121-011746-123-0a1b2c3d4e). Run \`toolweaver traces list\` to see the ids.`);
    }
    return path.join(dir, `${id}.json`);
  }

  /** A system error on the trace folder as the IoError a user can act on; anything else as it is. */
  function folderError(err: unknown, what: string): unknown {
    if (!systemErrorCode(err)) return err;
    return new IoError('unwritable', `Cannot ${what} the trace folder ${dir} (${describeSystemError(err)}). Choose another folder (--trace-dir, or --dir for traces) or fix its permissions.`, { target: dir, cause: err });
  }

  async function init(): Promise<void> {
    let names: string[];
    try {
      await makeDir(dir);
      names = await fs.readdir(dir);
    } catch (err) {
      throw folderError(err, 'use');
    }
    // Temp files of writers that died mid-write.
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      const st = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (st && clock.now() - st.mtimeMs > 60_000) await fs.rm(path.join(dir, name), { force: true });
    }
  }

  async function ensure(): Promise<void> {
    await (ready ??= init());
  }

  async function readFile(id: string): Promise<{ trace: Trace; bytes: number }> {
    const f = file(id);
    let text: string;
    try {
      text = await fs.readFile(f, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new TraceStoreError('trace_not_found', `No trace ${id} in ${dir}. Run \`toolweaver traces list\` to see the ids.`, { file: f });
      }
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new TraceStoreError('trace_corrupt', `Trace file ${f} is not valid JSON (${describeCause(err)}); delete it or restore it from a backup.`, { file: f, cause: err });
    }
    const parsed = TraceSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TraceStoreError('trace_corrupt', `Trace file ${f} does not match the trace format (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}).`, { file: f, cause: parsed.error });
    }
    if (parsed.data.id !== id) throw new TraceStoreError('trace_corrupt', `Trace file ${f} holds trace ${parsed.data.id}, not ${id}.`, { file: f });
    return { trace: parsed.data, bytes: Buffer.byteLength(text) };
  }

  async function putRaw(trace: Trace): Promise<string> {
    await ensure();
    const f = file(trace.id);
    const checked = TraceSchema.parse(trace); // a bug of ours if this throws
    const text = JSON.stringify(checked);
    try {
      await writeFileAtomic(f, text, TRACE_WRITE);
    } catch (err) {
      throw folderError(err, 'write a trace into');
    }
    const st = await fs.stat(f).catch(() => undefined);
    if (st) written.set(checked.id, { mtimeMs: st.mtimeMs, size: st.size, summary: summarize(checked, Buffer.byteLength(text)) });
    return f;
  }

  async function readIndex(): Promise<Record<string, IndexEntry>> {
    try {
      const parsed = JSON.parse(await fs.readFile(path.join(dir, INDEX_FILE), 'utf8')) as { version?: number; entries?: Record<string, IndexEntry> };
      return parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object' ? parsed.entries : {};
    } catch {
      return {}; // missing or damaged: it is only a cache
    }
  }

  async function scan(): Promise<{ entries: IndexEntry[]; corrupt: { id: string; message: string }[] }> {
    await ensure();
    const index = await readIndex();
    const next: Record<string, IndexEntry> = {};
    const corrupt: { id: string; message: string }[] = [];
    let changed = false;
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && TRACE_ID_PATTERN.test(n.slice(0, -5)));
    for (const name of names) {
      const id = name.slice(0, -5);
      const st = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (!st) continue; // deleted meanwhile
      const cached = [written.get(id), index[id]].find((e) => e && e.mtimeMs === st.mtimeMs && e.size === st.size);
      if (cached) {
        if (cached !== index[id]) changed = true;
        next[id] = cached;
        continue;
      }
      changed = true;
      try {
        const { trace, bytes } = await readFile(id);
        next[id] = { mtimeMs: st.mtimeMs, size: st.size, summary: summarize(trace, bytes) };
      } catch (err) {
        if (TraceStoreError.is(err, 'trace_not_found')) continue;
        corrupt.push({ id, message: describeCause(err) });
      }
    }
    if (changed || Object.keys(index).length !== Object.keys(next).length) {
      await writeFileAtomic(path.join(dir, INDEX_FILE), JSON.stringify({ version: 1, entries: next }), TRACE_WRITE).catch((err: unknown) => {
        logger.warn(`Could not update the trace index in ${dir}: ${describeCause(err)}`);
      });
    }
    return { entries: Object.values(next).sort((a, b) => (a.summary.id < b.summary.id ? 1 : -1)), corrupt };
  }

  async function recoverNow(): Promise<string[]> {
    const { entries } = await scan();
    const done: string[] = [];
    const me = hostname();
    for (const e of entries) {
      if (e.summary.status !== 'running') continue;
      let trace: Trace;
      try {
        trace = (await readFile(e.summary.id)).trace;
      } catch {
        continue;
      }
      const pid = trace.host?.pid;
      const sameHost = trace.host?.hostname === undefined || trace.host.hostname === me;
      const dead = sameHost && pid !== undefined && pid !== process.pid && !isAlive(pid);
      const stale = clock.now() > trace.startedAtMs + trace.limits.timeoutMs + grace;
      if (!dead && !stale) continue;
      const endedAtMs = Math.max(trace.startedAtMs, e.mtimeMs);
      const endMs = endedAtMs - trace.startedAtMs;
      const final: Trace = {
        ...trace,
        status: 'interrupted',
        endedAtMs,
        endedAt: new Date(endedAtMs).toISOString(),
        error: {
          name: 'Interrupted',
          code: 'interrupted',
          message: dead
            ? `The process that ran this script (pid ${pid}) ended before the run finished; the trace was finalised when the trace store was next opened.`
            : `The run never finished within its time limit plus ${Math.round(grace / 1000)} s; it was finalised as interrupted.`,
        },
        spans: closeOpenSpans(trace.spans, 'interrupted', endMs),
        stats: { ...trace.stats, durationMs: Math.max(trace.stats.durationMs, endMs) },
      };
      await putRaw(final);
      done.push(trace.id);
      logger.info(`Trace ${trace.id} finalised as interrupted.`);
    }
    return done;
  }

  function recover(): Promise<string[]> {
    return (recovered ??= recoverNow());
  }

  async function retain(keep: string): Promise<void> {
    const { entries } = await scan();
    const oldestFirst = [...entries].reverse();
    let count = entries.filter((e) => e.summary.status !== 'running').length;
    let bytes = entries.reduce((n, e) => n + e.size, 0);
    for (const e of oldestFirst) {
      if (count <= maxCount && bytes <= maxBytes) break;
      if (e.summary.id === keep || e.summary.status === 'running') continue;
      await fs.rm(file(e.summary.id), { force: true });
      written.delete(e.summary.id);
      count--;
      bytes -= e.size;
    }
  }

  return {
    dir,
    file,
    async put(trace) {
      await recover();
      return putRaw(trace);
    },
    async write(trace) {
      await recover();
      const f = await putRaw(trace);
      await retain(trace.id);
      return f;
    },
    async read(id) {
      file(id);
      await recover();
      return (await readFile(id)).trace;
    },
    async list(o) {
      await recover();
      const { entries, corrupt } = await scan();
      const traces = entries.map((e) => e.summary);
      return { traces: o?.limit !== undefined ? traces.slice(0, o.limit) : traces, corrupt };
    },
    recover,
    async clear() {
      await recover();
      const { entries } = await scan();
      let removed = 0;
      for (const e of entries) {
        if (e.summary.status === 'running') continue;
        await fs.rm(file(e.summary.id), { force: true });
        written.delete(e.summary.id);
        removed++;
      }
      await fs.rm(path.join(dir, INDEX_FILE), { force: true });
      // The raw tapes (rawTape.ts) hold unredacted results: they go with their traces.
      await fs.rm(path.join(dir, RAW_TAPE_DIR), { recursive: true, force: true });
      return removed;
    },
  };
}
