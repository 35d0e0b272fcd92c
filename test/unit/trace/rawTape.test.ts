// The raw tape beside a trace: what it keeps (raw args of every call that ended, raw results of ok
// ones, within a budget), its file mode and git-ignore, retention, and a bad file read as none.
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRawTapeRecorder, createRawTapeStore } from '../../../src/core/trace/rawTape';

const ID = (n: number): string => `20260101-000000-${String(n).padStart(3, '0')}-0123456789`;

describe('the raw tape recorder', () => {
  it('keeps raw args of every call that ended and raw results of ok ones, not cached ones', () => {
    const r = createRawTapeRecorder();
    r.onEvent({ type: 'tool.start', spanId: 't1', t: 0, server: 's', tool: 'a', args: { email: 'ada@example.com' } });
    r.onEvent({ type: 'tool.end', spanId: 't1', t: 1, ok: true, result: { email: 'ada@example.com' }, cached: false });
    r.onEvent({ type: 'tool.start', spanId: 't2', t: 0, server: 's', tool: 'a', args: { k: 1 } });
    r.onEvent({ type: 'tool.end', spanId: 't2', t: 1, ok: false, error: { code: 'tool_failed', message: 'no' }, cached: false });
    r.onEvent({ type: 'tool.start', spanId: 't3', t: 0, server: 's', tool: 'a', args: {} });
    r.onEvent({ type: 'tool.end', spanId: 't3', t: 1, ok: true, result: 'c', cached: true });
    expect(r.take()).toEqual({ results: { t1: { email: 'ada@example.com' } }, args: { t1: { email: 'ada@example.com' }, t2: { k: 1 } } });
  });

  it('stops keeping calls past its byte budget', () => {
    const r = createRawTapeRecorder(30);
    for (const id of ['t1', 't2']) {
      r.onEvent({ type: 'tool.start', spanId: id, t: 0, server: 's', tool: 'a', args: {} });
      r.onEvent({ type: 'tool.end', spanId: id, t: 1, ok: true, result: 'x'.repeat(20), cached: false });
    }
    expect(Object.keys(r.take().results)).toEqual(['t1']);
  });
});

describe('the raw tape store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tw-rawtape-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a private file in a folder that git-ignores itself, and reads it back', async () => {
    const store = createRawTapeStore({ traceDir: dir });
    writeFileSync(path.join(dir, `${ID(1)}.json`), '{}');
    await store.write(ID(1), { results: { t1: 'a@b.example' }, args: { t1: {} } });
    const file = path.join(dir, 'tapes', `${ID(1)}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'tapes')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(dir, 'tapes', '.gitignore'), 'utf8')).toBe('*\n');
    expect(await store.read(ID(1))).toEqual({ version: 1, traceId: ID(1), results: { t1: 'a@b.example' }, args: { t1: {} } });
    expect(await store.read(ID(2))).toBeUndefined();
  });

  it('drops tapes whose trace is gone and the oldest past the cap', async () => {
    const store = createRawTapeStore({ traceDir: dir, maxTapes: 2 });
    for (const n of [1, 2, 3]) writeFileSync(path.join(dir, `${ID(n)}.json`), '{}');
    mkdirSync(path.join(dir, 'tapes'));
    writeFileSync(path.join(dir, 'tapes', `${ID(9)}.json`), '{}'); // its trace was deleted by retention
    for (const n of [1, 2, 3]) await store.write(ID(n), { results: {}, args: {} });
    const kept = (n: number): boolean => existsSync(path.join(dir, 'tapes', `${ID(n)}.json`));
    expect([1, 2, 3, 9].map(kept)).toEqual([false, true, true, false]);
  });

  it('reads a corrupt or foreign tape as none', async () => {
    const store = createRawTapeStore({ traceDir: dir });
    mkdirSync(path.join(dir, 'tapes'));
    writeFileSync(path.join(dir, 'tapes', `${ID(1)}.json`), '{not json');
    writeFileSync(path.join(dir, 'tapes', `${ID(2)}.json`), JSON.stringify({ version: 1, traceId: ID(3), results: {}, args: {} }));
    expect(await store.read(ID(1))).toBeUndefined();
    expect(await store.read(ID(2))).toBeUndefined();
  });
});
