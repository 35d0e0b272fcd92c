import { describe, expect, it } from 'vitest';
import { PreviewError, type PreviewErrorCode } from '../../../src/core/preview/errors';
import { parseMarker } from '../../../src/core/preview/markers';
import { createValueStore, nextPageArgs, readValue, type ReadValueRequest, type ValuePage, type ValueStore } from '../../../src/core/preview/valueStore';
import { previewValue } from '../../../src/core/preview/previewValue';
import { randomJson } from './randomJson';

function codeOf(fn: () => unknown): PreviewErrorCode {
  try {
    fn();
  } catch (err) {
    if (PreviewError.is(err)) return err.code;
    throw err;
  }
  throw new Error('expected a PreviewError');
}

/** Reads every page of a node, as a model following `next` would. */
function readAll(store: ValueStore, req: ReadValueRequest): ValuePage[] {
  const pages: ValuePage[] = [];
  let page = readValue(store, req);
  pages.push(page);
  while (page.next) {
    page = readValue(store, { ...req, runId: page.next.runId, path: page.next.path, offset: page.next.offset });
    pages.push(page);
    if (pages.length > 100_000) throw new Error('paging does not end');
  }
  return pages;
}

describe('createValueStore', () => {
  it('keeps the last maxRuns runs and reads the newest by default', () => {
    const store = createValueStore({ maxRuns: 2 });
    store.put('r1', { a: 1 });
    store.put('r2', { a: 2 });
    store.put('r3', { a: 3 });
    expect(store.runIds()).toEqual(['r3', 'r2']);
    expect(store.get().value).toEqual({ a: 3 });
    expect(store.get('r2').value).toEqual({ a: 2 });
    expect(codeOf(() => store.get('r1'))).toBe('unknown_run');
    expect(() => store.get('r1')).toThrow(/no longer kept.*Kept runs, newest first: r3, r2/);
    expect(() => store.get('nope')).toThrow('There is no stored value for run "nope". Kept runs, newest first: r3, r2. Omit runId to read the last run.');
  });

  it('evicts the oldest runs to stay under maxBytes, and does not keep a value larger than that alone', () => {
    const store = createValueStore({ maxRuns: 10, maxBytes: 100 });
    store.put('a', 'x'.repeat(40)); // 42 characters of JSON
    store.put('b', 'y'.repeat(40));
    expect(store.bytes()).toBe(84);
    store.put('c', 'z'.repeat(40));
    expect(store.runIds()).toEqual(['c', 'b']);
    expect(store.bytes()).toBe(84);
    store.put('huge', 'w'.repeat(500));
    expect(codeOf(() => store.get('huge'))).toBe('value_not_kept');
    expect(codeOf(() => readValue(store, { path: '$' }))).toBe('value_not_kept');
    expect(store.get('c').value).toBe('z'.repeat(40));
  });

  it('replaces a run stored twice and says when nothing is stored', () => {
    const store = createValueStore();
    expect(codeOf(() => store.get())).toBe('no_runs');
    store.put('r', 1);
    store.put('r', 2);
    expect(store.runIds()).toEqual(['r']);
    expect(store.get().value).toBe(2);
    store.clear();
    expect(store.runIds()).toEqual([]);
    expect(store.bytes()).toBe(0);
  });
});

describe('readValue', () => {
  it('pages through a 10,000-item array and the pages rebuild it exactly', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `Customer ${i}`, tags: i % 7 === 0 ? ['vip', 'emea'] : [], score: i / 7 }));
    const store = createValueStore();
    store.put('r1', { customers: items });
    const pages = readAll(store, { path: '$.customers', maxChars: 2_000 });
    expect(pages.length).toBeGreaterThan(100);
    const rebuilt = pages.flatMap((p) => {
      expect(p.text.length).toBeLessThanOrEqual(2_000);
      expect(p.elided).toEqual([]);
      return JSON.parse(p.text) as unknown[];
    });
    expect(rebuilt).toEqual(items);
    expect(pages[0]).toMatchObject({ runId: 'r1', path: '$.customers', type: 'array', total: 10_000, offset: 0 });
    expect(pages[1]?.offset).toBe(pages[0]?.count);
    expect(pages.at(-1)?.next).toBeUndefined();
  });

  it('pages strings by characters and objects by keys, odd keys and surrogate pairs included', () => {
    const text = 'αβγ "quoted" \n 😀😀😀 '.repeat(400);
    const obj = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [i % 10 === 0 ? `key "${i}"` : `k${i}`, { n: i }]));
    const store = createValueStore();
    store.put('r', { text, obj });
    const strPages = readAll(store, { path: '$.text', maxChars: 300 });
    expect(strPages.map((p) => JSON.parse(p.text) as string).join('')).toBe(text);
    for (const p of strPages) expect(p.text.length).toBeLessThanOrEqual(300);
    const objPages = readAll(store, { path: '$["obj"]', maxChars: 500, limit: 37 });
    expect(Object.assign({}, ...objPages.map((p) => JSON.parse(p.text) as object))).toEqual(obj);
    expect(objPages.every((p) => p.count <= 37)).toBe(true);
  });

  it('continues exactly where a preview marker says', () => {
    const value = { orders: Array.from({ length: 300 }, (_, i) => ({ id: `ord_${i}`, total: i * 3 })), note: 'n'.repeat(3_000) };
    const store = createValueStore();
    store.put('r9', value);
    const preview = previewValue(value, { maxChars: 600 });
    for (const e of preview.elided) {
      const page = readValue(store, { path: e.path, offset: e.offset });
      expect(page.offset).toBe(e.offset);
      const got: unknown = JSON.parse(page.text);
      if (e.type === 'array') expect(got).toEqual(value.orders.slice(e.offset, e.offset + page.count));
      else expect(got).toBe(value.note.slice(e.offset, e.offset + page.count));
    }
  });

  it('previews an item too big for a page on its own, with markers that carry the full path', () => {
    const store = createValueStore();
    store.put('r', { rows: [{ id: 1, blob: 'b'.repeat(5_000) }, { id: 2 }] });
    const page = readValue(store, { path: '$.rows', maxChars: 300 });
    expect(page.count).toBe(1);
    expect(page.next).toEqual({ runId: 'r', path: '$.rows', offset: 1 });
    expect(page.text.length).toBeLessThanOrEqual(300);
    const rows = JSON.parse(page.text) as { id: number; blob: string }[];
    expect(rows[0]?.id).toBe(1);
    expect(parseMarker(rows[0]?.blob as string)).toMatchObject({ kind: 'chars', path: '$.rows[0].blob' });
    expect(page.elided[0]).toMatchObject({ path: '$.rows[0].blob', kind: 'chars', total: 5_000 });
    const blob = readAll(store, { path: page.elided[0]?.path as string, maxChars: 2_000 });
    expect(blob.map((p) => JSON.parse(p.text) as string).join('')).toBe('b'.repeat(5_000));
  });

  it('returns scalars whole and reads older runs by id', () => {
    const store = createValueStore();
    store.put('old', { n: 42, flag: true, nothing: null });
    store.put('new', 'latest');
    expect(readValue(store, { runId: 'old', path: '$.n' })).toMatchObject({ type: 'number', text: '42', total: 1, count: 1, next: undefined });
    expect(readValue(store, { runId: 'old', path: '$.nothing' })).toMatchObject({ type: 'null', text: 'null' });
    expect(readValue(store, { path: '$' }).text).toBe('"latest"');
    const page = readValue(store, { runId: 'old', path: '$', limit: 1 });
    expect(page.text).toBe('{"n":42}');
    expect(nextPageArgs(page.next!, store)).toEqual({ runId: 'old', path: '$', offset: 1 });
  });

  it('says what is wrong in typed errors', () => {
    const store = createValueStore();
    store.put('r', { customers: [{ id: 1 }] });
    store.put('void', undefined);
    const err = (req: ReadValueRequest): PreviewError => {
      try {
        readValue(store, req);
      } catch (e) {
        if (PreviewError.is(e)) return e;
      }
      throw new Error('expected a PreviewError');
    };
    expect(err({ runId: 'r', path: '$.customers[' })).toMatchObject({ code: 'bad_path', position: 12 });
    expect(err({ runId: 'r', path: '$.customers[3].name' })).toMatchObject({ code: 'path_not_found', deepestPath: '$.customers' });
    expect(err({ runId: 'r', path: '$.customers', offset: 5 })).toMatchObject({ code: 'bad_offset', message: '$.customers has 1 item; offset 5 is past its end.' });
    expect(err({ runId: 'x', path: '$' }).code).toBe('unknown_run');
    expect(err({ path: '$' })).toMatchObject({ code: 'path_not_found', message: 'Run void returned no value (undefined), so there is nothing at $.' });
    expect(err({ runId: 'r', path: '$', offset: -1 }).code).toBe('invalid_option');
    expect(err({ runId: 'r', path: '$', maxChars: 10 }).code).toBe('invalid_option');
  });

  it('every page of random values parses and stays within maxChars', () => {
    const store = createValueStore();
    for (let seed = 1; seed <= 60; seed++) {
      const value = randomJson(seed + 1000);
      store.put(`r${seed}`, value);
      const pages = readAll(store, { runId: `r${seed}`, path: '$', maxChars: 400 });
      for (const p of pages) {
        expect(p.text.length).toBeLessThanOrEqual(400);
        expect(() => JSON.parse(p.text) as unknown).not.toThrow();
      }
    }
  });
});
