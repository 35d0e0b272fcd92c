// The raw tape: the unredacted results of a run's tool calls, kept beside its trace (in `tapes/` of the
// trace folder, files 0600, the folder git-ignored) so a replay can answer a call whose stored result was
// redacted or cut. Invariant: a raw tape is local only — never in a trace, an export or a model-facing reply;
// it holds personal data as the tools returned it, but secrets (config values, tokens) are still redacted.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { makeDir, writeFileAtomic } from '../fsAtomic';
import { silentLogger, type Logger } from '../ports';
import { TraceStoreError, describeCause } from '../errors';
import type { RunEvent } from '../sandbox/types';
import { TRACE_ID_PATTERN } from './schema';

/** The folder of the raw tapes inside a trace folder. */
export const RAW_TAPE_DIR = 'tapes';
/** Raw tapes kept per trace folder (the oldest go first; a tape whose trace is gone goes at once). */
export const DEFAULT_MAX_RAW_TAPES = 100;
/** Budget of one tape: results past it are not kept (their calls replay from the trace or diverge). */
export const DEFAULT_MAX_RAW_TAPE_BYTES = 8 * 1024 * 1024;

const RAW_TAPE_VERSION = 1;

const RawTapeSchema = z.object({
  version: z.literal(RAW_TAPE_VERSION),
  traceId: z.string().regex(TRACE_ID_PATTERN),
  /** Span id → the result exactly as the tool returned it to the script. */
  results: z.record(z.string(), z.unknown()),
  /** Span id → the arguments exactly as the script passed them (so a replay compares real values,
   *  not two redaction marks). */
  args: z.record(z.string(), z.unknown()),
});

/** A run's raw results by span id. */
export type RawTape = z.infer<typeof RawTapeSchema>;

/** Collects a run's raw results from its RunEvents, within a byte budget. */
export interface RawTapeRecorder {
  onEvent(e: RunEvent): void;
  /** Span id → raw arguments (every call that reached the end) and raw result (ok calls), as far as the budget goes. */
  take(): { results: Record<string, unknown>; args: Record<string, unknown> };
}

/** A recorder of raw results; `maxBytes` bounds the tape (JSON text of the results); `redact` is applied
 *  to every value kept (executeRun passes its secrets-only redactor: personal data stays, secrets go). */
export function createRawTapeRecorder(maxBytes = DEFAULT_MAX_RAW_TAPE_BYTES, redact: (v: unknown) => unknown = (v) => v): RawTapeRecorder {
  const results: Record<string, unknown> = {};
  const args: Record<string, unknown> = {};
  const pending = new Map<string, unknown>();
  let bytes = 0;
  const size = (v: unknown): number | undefined => {
    try {
      const text = JSON.stringify(v);
      return text === undefined ? 0 : Buffer.byteLength(text);
    } catch {
      return undefined; // not JSON: the trace could not store it either
    }
  };
  return {
    onEvent(e) {
      if (e.type === 'tool.start') pending.set(e.spanId, e.args);
      if (e.type !== 'tool.end') return;
      const a = pending.get(e.spanId);
      pending.delete(e.spanId);
      if (e.cached) return;
      const n = (e.ok ? (size(e.result) ?? Infinity) : 0) + (size(a) ?? Infinity);
      if (bytes + n > maxBytes) return;
      bytes += n;
      if (e.ok) results[e.spanId] = redact(e.result);
      args[e.spanId] = redact(a);
    },
    take: () => ({ results, args }),
  };
}

/** Reads and writes the raw tapes of one trace folder. */
export interface RawTapeStore {
  readonly dir: string;
  /** Writes the tape of `traceId` (0600), then drops tapes whose trace is gone and the oldest past the cap. */
  write(traceId: string, calls: { results: Record<string, unknown>; args: Record<string, unknown> }): Promise<void>;
  /** The tape of `traceId`, or undefined when there is none or it is unreadable (logged). */
  read(traceId: string): Promise<RawTape | undefined>;
}

export interface RawTapeStoreOptions {
  /** The trace folder (TraceStore.dir); tapes live in its `tapes/`. */
  traceDir: string;
  maxTapes?: number;
  logger?: Logger;
}

/** A raw tape store beside the trace folder `opts.traceDir`. */
export function createRawTapeStore(opts: RawTapeStoreOptions): RawTapeStore {
  const dir = path.join(path.resolve(opts.traceDir), RAW_TAPE_DIR);
  const maxTapes = opts.maxTapes ?? DEFAULT_MAX_RAW_TAPES;
  const logger = opts.logger ?? silentLogger;
  const file = (id: string): string => {
    if (!TRACE_ID_PATTERN.test(id)) throw new TraceStoreError('invalid_trace_id', `"${id.slice(0, 80)}" is not a trace id (expected e.g. 20261121-011746-123-0a1b2c3d4e).`);
    return path.join(dir, `${id}.json`);
  };

  async function prune(keep: string): Promise<void> {
    const ids = (await fs.readdir(dir))
      .filter((n) => n.endsWith('.json') && TRACE_ID_PATTERN.test(n.slice(0, -5)))
      .map((n) => n.slice(0, -5))
      .sort();
    const alive: string[] = [];
    for (const id of ids) {
      if (id === keep) continue;
      const traceExists = await fs.stat(path.join(path.dirname(dir), `${id}.json`)).then(() => true, () => false);
      if (traceExists) alive.push(id);
      else await fs.rm(file(id), { force: true });
    }
    // Ids sort by time: the oldest go first.
    for (const id of alive.slice(0, Math.max(0, alive.length + 1 - maxTapes))) await fs.rm(file(id), { force: true });
  }

  return {
    dir,
    async write(traceId, calls) {
      await makeDir(dir);
      await fs.chmod(dir, 0o700);
      // The folder ignores itself, so raw results never reach a commit even where .toolweaver/ is not ignored.
      const ignore = path.join(dir, '.gitignore');
      if (!(await fs.stat(ignore).then(() => true, () => false))) await writeFileAtomic(ignore, '*\n', { mode: 0o600 });
      const tape: RawTape = { version: RAW_TAPE_VERSION, traceId, results: calls.results, args: calls.args };
      await writeFileAtomic(file(traceId), JSON.stringify(tape), { mode: 0o600 });
      await prune(traceId);
    },
    async read(traceId) {
      let text: string;
      try {
        text = await fs.readFile(file(traceId), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`Cannot read the raw tape of ${traceId}: ${describeCause(err)}`);
        return undefined;
      }
      try {
        const parsed = RawTapeSchema.safeParse(JSON.parse(text));
        if (parsed.success && parsed.data.traceId === traceId) return parsed.data;
        logger.warn(`The raw tape of ${traceId} is not a tape of this version; replaying from the trace alone.`);
      } catch (err) {
        logger.warn(`The raw tape of ${traceId} is not valid JSON (${describeCause(err)}); replaying from the trace alone.`);
      }
      return undefined;
    },
  };
}
