import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TraceStoreError } from '../../../src/core/errors';
import { newTraceId } from '../../../src/core/trace/lifecycle';
import { createTraceRecorder } from '../../../src/core/trace/recorder';
import type { Trace } from '../../../src/core/trace/schema';
import { createTraceStore } from '../../../src/core/trace/store';
import { okResult, richEvents } from './events';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-traces-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function finished(startMs: number, extraLog = ''): Trace {
  const rec = createTraceRecorder({ id: newTraceId(startMs), source: 'return 1', catalogId: 'c', clock: { now: () => startMs } });
  for (const e of richEvents()) rec.onEvent(e);
  const res = okResult();
  return rec.finish({ ...res, logs: extraLog ? [{ level: 'log', t: 1, text: extraLog }] : res.logs });
}

function running(startMs: number, pid: number): Trace {
  const rec = createTraceRecorder({ id: newTraceId(startMs), source: 'return 1', catalogId: 'c', clock: { now: () => startMs }, host: { pid } });
  for (const e of richEvents().slice(0, 3)) rec.onEvent(e);
  return rec.snapshot();
}

describe('trace store', () => {
  it('writes one file per id, reads it back validated, lists newest first', async () => {
    const store = createTraceStore({ dir });
    const a = finished(Date.UTC(2026, 0, 1));
    const b = finished(Date.UTC(2026, 0, 2));
    expect(await store.write(a)).toBe(path.join(dir, `${a.id}.json`));
    await store.write(b);
    expect(await store.read(a.id)).toEqual(a);
    const { traces, corrupt } = await store.list();
    expect(traces.map((t) => t.id)).toEqual([b.id, a.id]);
    expect(traces[0]).toMatchObject({ status: 'ok', toolCalls: 4 });
    expect(corrupt).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('clear() deletes finished traces and the index, keeps running ones and files that are not ours', async () => {
    const store = createTraceStore({ dir });
    await store.write(finished(Date.UTC(2026, 0, 1)));
    await store.write(finished(Date.UTC(2026, 0, 2)));
    const live = running(Date.UTC(2026, 0, 3), process.pid);
    await store.put(live);
    writeFileSync(path.join(dir, 'notes.json'), '{}');
    mkdirSync(path.join(dir, 'tapes'));
    writeFileSync(path.join(dir, 'tapes', 'x.json'), '{"raw":"ada@example.com"}'); // a raw tape (rawTape.ts) goes too
    await store.list(); // writes index.json
    expect(await store.clear()).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([`${live.id}.json`, 'notes.json']);
    expect((await store.list()).traces.map((t) => t.id)).toEqual([live.id]);
  });

  it('rejects ids that are not trace ids (no path from untrusted text)', async () => {
    const store = createTraceStore({ dir });
    for (const bad of ['../x', '..', 'a/b', '20260101-000000-000-zzzzzzzzzz', '', 'x.json']) {
      await expect(store.read(bad)).rejects.toSatisfy((e: unknown) => TraceStoreError.is(e, 'invalid_trace_id'));
    }
    await expect(store.read(newTraceId())).rejects.toSatisfy((e: unknown) => TraceStoreError.is(e, 'trace_not_found'));
  });

  it('reports corrupt files instead of crashing', async () => {
    const store = createTraceStore({ dir });
    const good = finished(Date.UTC(2026, 0, 1));
    await store.write(good);
    const badJson = newTraceId(Date.UTC(2026, 0, 3));
    const badShape = newTraceId(Date.UTC(2026, 0, 4));
    writeFileSync(path.join(dir, `${badJson}.json`), '{"version":1,');
    writeFileSync(path.join(dir, `${badShape}.json`), JSON.stringify({ version: 1, id: badShape }));
    const { traces, corrupt } = await store.list();
    expect(traces.map((t) => t.id)).toEqual([good.id]);
    expect(corrupt.map((c) => c.id).sort()).toEqual([badJson, badShape].sort());
    await expect(store.read(badJson)).rejects.toSatisfy((e: unknown) => TraceStoreError.is(e, 'trace_corrupt'));
    await expect(store.read(badShape)).rejects.toThrow(/does not match the trace format/);
  });

  it('applies retention by count and by total size, oldest first', async () => {
    const store = createTraceStore({ dir, maxCount: 3, isAlive: () => true });
    const live = running(Date.UTC(2025, 0, 1), 4242); // oldest of all, but still running
    await store.put({ ...live, startedAtMs: Date.now() });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = finished(Date.UTC(2026, 0, 1, 0, 0, i));
      ids.push(t.id);
      await store.write(t);
    }
    expect((await store.list()).traces.map((t) => t.id)).toEqual([...ids.slice(2).reverse(), live.id]);

    const big = createTraceStore({ dir: path.join(dir, 'big'), maxBytes: 60_000 }); // each trace is ~27 kB (a 16 KiB result + a 4 kB log)
    const bigIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const t = finished(Date.UTC(2026, 0, 2, 0, 0, i), 'y'.repeat(4000));
      bigIds.push(t.id);
      await big.write(t);
    }
    const kept = (await big.list()).traces;
    expect(kept.reduce((n, t) => n + t.bytes, 0)).toBeLessThanOrEqual(60_000);
    expect(kept.map((t) => t.id)).toEqual(bigIds.slice(4 - kept.length).reverse());
    expect(kept.length).toBe(2);

    // a single trace bigger than the budget is still kept (the newest is never deleted)
    const tiny = createTraceStore({ dir: path.join(dir, 'tiny'), maxBytes: 10 });
    const only = finished(Date.UTC(2026, 0, 3));
    await tiny.write(only);
    expect((await tiny.list()).traces.map((t) => t.id)).toEqual([only.id]);
  });

  it('writes atomically: concurrent readers never see a partial file', async () => {
    const store = createTraceStore({ dir });
    const base = finished(Date.UTC(2026, 0, 1));
    await store.write(base);
    const file = store.file(base.id);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(file, 'utf8');
        JSON.parse(text); // throws on a torn write
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 30; i++) {
      await store.put({ ...base, logs: [{ level: 'log', t: 0, text: String(i).repeat(20_000 + i * 500) }] });
    }
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).logs[0].text.startsWith('29')).toBe(true);
  });

  it('finalises running traces of dead processes as interrupted on open, and leaves live ones', async () => {
    const seed = createTraceStore({ dir, isAlive: () => true });
    const dead = running(Date.now() - 1000, 999_999);
    const alive = running(Date.now() - 1000, 424_242);
    const stale = running(Date.now() - 10 * 60_000 - 31_000, 424_242);
    await seed.put(dead);
    await seed.put(alive);
    await seed.put(stale);

    const store = createTraceStore({ dir, isAlive: (pid) => pid === 424_242 });
    expect((await store.recover()).sort()).toEqual([dead.id, stale.id].sort());
    const d = await store.read(dead.id);
    expect(d.status).toBe('interrupted');
    expect(d.error?.code).toBe('interrupted');
    expect(d.error?.message).toContain('pid 999999');
    expect(d.endedAt).toBeDefined();
    expect(d.spans.every((s) => s.status !== 'running')).toBe(true);
    expect(d.spans.find((s) => s.id === 't1')?.status).toBe('interrupted');
    expect((await store.read(alive.id)).status).toBe('running');
    expect((await store.read(stale.id)).status).toBe('interrupted');
    // recovery runs once per store; a second call returns the same answer without rework
    expect((await store.recover()).length).toBe(2);
  });

  it('rebuilds a missing or damaged index', async () => {
    const store = createTraceStore({ dir });
    const t = finished(Date.UTC(2026, 0, 1));
    await store.write(t);
    writeFileSync(path.join(dir, 'index.json'), 'garbage');
    expect((await createTraceStore({ dir }).list()).traces.map((x) => x.id)).toEqual([t.id]);
    expect(JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')).version).toBe(1);
  });
});
