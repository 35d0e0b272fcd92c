import { describe, expect, it } from 'vitest';
import { PreviewError } from '../../../src/core/preview/errors';
import { serializeJson, jsonSize } from '../../../src/core/preview/json';
import { parseMarker } from '../../../src/core/preview/markers';
import { parsePath, resolvePath } from '../../../src/core/preview/path';
import { previewValue, type Preview } from '../../../src/core/preview/previewValue';
import { randomJson } from './randomJson';

/** Every marker string in a parsed preview, with where it sits. */
function markersIn(v: unknown, out: string[] = []): string[] {
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (typeof x === 'string') {
      if (parseMarker(x)) out.push(x);
    } else if (Array.isArray(x)) stack.push(...x);
    else if (x && typeof x === 'object') stack.push(...Object.values(x));
  }
  return out;
}

function checkPreview(value: unknown, p: Preview, maxChars: number): void {
  expect(p.text.length).toBeLessThanOrEqual(maxChars);
  const parsed: unknown = JSON.parse(p.text);
  expect(p.complete).toBe(p.elided.length === 0);
  for (const e of p.elided) expect(() => resolvePath(value, parsePath(e.path))).not.toThrow();
  // Each elision has its marker in the text, naming the same path and offset.
  const markers = markersIn(parsed).map((m) => parseMarker(m));
  for (const e of p.elided) {
    expect(markers.some((m) => m?.path === e.path && m.offset === e.offset), `${e.path} offset ${e.offset}`).toBe(true);
  }
}

describe('previewValue: golden previews (the exact text a model gets)', () => {
  it('shortens a long array to the whole items that fit, with a count and the offset to continue', () => {
    const value = { customers: Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `Customer ${i + 1}`, tier: i % 3 === 0 ? 'gold' : 'basic' })), total: 40 };
    const p = previewValue(value, { maxChars: 300 });
    expect(p.text).toBe(
      '{"customers":[{"id":1,"name":"Customer 1","tier":"gold"},{"id":2,"name":"Customer 2","tier":"basic"},{"id":3,"name":"Customer 3","tier":"basic"},{"id":4,"name":"Customer 4","tier":"gold"},"«… 36 more items (40 in all): read_value $.customers offset 4»"],"total":40}',
    );
    expect(p.elided).toEqual([{ path: '$.customers', kind: 'items', type: 'array', total: 40, shown: 4, offset: 4, chars: 1809, charsExact: true }]);
    expect(p.complete).toBe(false);
  });

  it('cuts a long string with its length, keeping the small fields whole', () => {
    const p = previewValue({ id: 7, notes: 'The customer called about the invoice. '.repeat(20) }, { maxChars: 160 });
    expect(p.text).toBe('{"id":7,"notes":"The customer called about the invoice. The customer called about the invoice. T«… 701 more chars (780 in all): read_value $.notes offset 79»"}');
    expect(p.elided).toEqual([{ path: '$.notes', kind: 'chars', type: 'string', total: 780, shown: 79, offset: 79, chars: 782, charsExact: true }]);
  });

  it('cuts the largest values first and leaves small ones alone', () => {
    const value = { ok: true, count: 3, items: [{ sku: 'A-1', qty: 2 }], log: 'x'.repeat(500), matrix: Array.from({ length: 30 }, (_, i) => [i, i * i]) };
    const p = previewValue(value, { maxChars: 260 });
    expect(p.text).toBe(
      '{"ok":true,"count":3,"items":[{"sku":"A-1","qty":2}],"log":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx«… 467 more chars (500 in all): read_value $.log offset 33»","matrix":[[0,0],[1,1],[2,4],[3,9],[4,16],"«… 25 more items (30 in all): read_value $.matrix offset 5»"]}',
    );
    expect(p.elided.map((e) => [e.path, e.kind, e.shown, e.total])).toEqual([
      ['$.log', 'chars', 33, 500],
      ['$.matrix', 'items', 5, 30],
    ]);
  });

  it('cuts several items that are each too big, and shortens objects by keys', () => {
    const value = Array.from({ length: 5 }, (_, i) => ({ id: i, body: 'lorem ipsum '.repeat(50) }));
    expect(previewValue(value, { maxChars: 400 }).text).toBe(
      '[{"id":0,"body":"lorem ipsum lorem ipsum lorem ip«… 568 more chars (600 in all): read_value $[0].body offset 32»"},{"id":1,"body":"lorem ipsum lorem ipsum lorem ips«… 567 more chars (600 in all): read_value $[1].body offset 33»"},{"id":2,"body":"lorem ipsum lorem ipsum lorem ipsu«… 566 more chars (600 in all): read_value $[2].body offset 34»"},"«… 2 more items (5 in all): read_value $ offset 3»"]',
    );
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, i]));
    expect(previewValue(wide, { maxChars: 120 }).text).toBe('{"field0":0,"field1":1,"field2":2,"field3":3,"field4":4,"«…»":"«… 45 more keys (50 in all): read_value $ offset 5»"}');
  });

  it('collapses deep nesting to a marker naming the path', () => {
    let value: unknown = { leaf: 'x'.repeat(200) };
    for (let i = 0; i < 5; i++) value = { level: value };
    const p = previewValue(value, { maxChars: 100, maxDepth: 3 });
    expect(p.text).toBe('{"level":{"level":{"level":"«… object, 1 key: read_value $.level.level.level»"}}}');
    expect(p.elided).toEqual([{ path: '$.level.level.level', kind: 'value', type: 'object', total: 1, shown: 0, offset: 0, chars: 231, charsExact: true }]);
  });

  it('quotes odd keys in marker paths and names the LM tool when asked', () => {
    const p = previewValue({ 'first name': ['Ada', 'Grace', 'Hedy', 'Barbara', 'Frances', 'Katherine', 'Margaret', 'Radia', 'Mary', 'Annie', 'Joan', 'Evelyn'] }, { maxChars: 110, readTool: 'toolweaver_read_value' });
    expect(p.text).toBe('{"first name":["Ada","«… 11 more items (12 in all): toolweaver_read_value $[\\"first name\\"] offset 1»"]}');
    expect(parseMarker((JSON.parse(p.text) as { 'first name': string[] })['first name'][1] as string)).toMatchObject({ kind: 'items', count: 11, total: 12, path: '$["first name"]', offset: 1, tool: 'toolweaver_read_value' });
  });
});

describe('previewValue: properties over seeded random JSON', () => {
  it('always parses, never exceeds maxChars, and leaves values that fit unchanged', () => {
    let cut = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const value = randomJson(seed);
      const full = JSON.stringify(value) ?? 'null';
      for (const maxChars of [64, 100 + (seed % 7) * 37, 1000 + seed * 3]) {
        const p = previewValue(value, { maxChars });
        checkPreview(value, p, maxChars);
        if (full.length <= maxChars) {
          expect(p.text).toBe(full);
          expect(p.complete).toBe(true);
          expect(JSON.parse(p.text)).toEqual(JSON.parse(full));
        } else {
          expect(p.complete).toBe(false);
          cut++;
        }
      }
    }
    expect(cut).toBeGreaterThan(300); // the property was exercised on cut values, not only on small ones
  });

  it('is deterministic', () => {
    const value = randomJson(99, 6);
    expect(previewValue(value, { maxChars: 500 })).toEqual(previewValue(structuredClone(value), { maxChars: 500 }));
  });

  it('measures exactly as JSON.stringify writes, quirks included', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const value = randomJson(seed);
      expect(serializeJson(value)).toBe(JSON.stringify(value));
      expect(jsonSize(value)).toBe(JSON.stringify(value).length);
    }
    const quirks = { a: undefined, b: () => 1, c: [undefined, NaN, -0, Infinity], d: new Date(0), e: Object(5) as unknown, f: '\ud800x\u2028' };
    expect(serializeJson(quirks)).toBe(JSON.stringify(quirks));
    expect(jsonSize(quirks)).toBe(JSON.stringify(quirks).length);
    expect(serializeJson(undefined)).toBe('null');
    expect(serializeJson({ big: 12345678901234567890n })).toBe('{"big":12345678901234567890}');
  });

  it('keeps a shown string prefix exact and never splits a surrogate pair', () => {
    const s = '😀'.repeat(300);
    const p = previewValue(s, { maxChars: 200 });
    const shown = (JSON.parse(p.text) as string).split('«… ')[0] as string;
    expect(s.startsWith(shown)).toBe(true);
    expect(shown.length % 2).toBe(0);
    expect(p.elided[0]).toMatchObject({ kind: 'chars', shown: shown.length, offset: shown.length, total: 600 });
  });
});

describe('previewValue: limits', () => {
  it('rejects a maxChars too small for any marker', () => {
    expect(() => previewValue([1, 2, 3], { maxChars: 10 })).toThrowError(PreviewError);
    try {
      previewValue('x', { maxChars: 63 });
    } catch (err) {
      expect(PreviewError.is(err, 'invalid_option')).toBe(true);
    }
  });

  it('stays valid and within budget when even the markers barely fit (long paths, tiny budgets)', () => {
    const long = 'k'.repeat(300);
    const cases: [unknown, Parameters<typeof previewValue>[1]][] = [
      [{ [long]: 'x'.repeat(1000) }, { maxChars: 64 }],
      ['y'.repeat(1000), { maxChars: 64, path: [long, 3] }],
      [[{ a: 'x'.repeat(500) }, 2], { maxChars: 64, path: ['q"'.repeat(100)] }],
      [Array.from({ length: 100 }, () => 1.2345678901234567e-300), { maxChars: 64 }],
    ];
    for (const [value, opts] of cases) {
      const p = previewValue(value, opts);
      expect(p.text.length).toBeLessThanOrEqual(64);
      expect(() => JSON.parse(p.text) as unknown).not.toThrow();
      expect(p.elided.length).toBeGreaterThan(0);
    }
    expect(previewValue('y'.repeat(1000), { maxChars: 64, path: [long] }).text).toBe('"«… string»"');
  });

  it('bounds the work on huge inputs (50 MiB string, a million items, 10,000 levels, 200,000 keys)', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = i % 2 ? { next: deep } : [deep];
    const inputs: [string, unknown][] = [
      ['50 MiB string', 'x'.repeat(50 * 1024 * 1024)],
      ['a million items', Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, name: `item ${i}` }))],
      ['10,000 levels', deep],
      ['200,000 keys', Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]))],
    ];
    for (const [name, value] of inputs) {
      const t0 = performance.now();
      const p = previewValue(value, { maxChars: 8_000 });
      const ms = performance.now() - t0;
      checkPreview(value, p, 8_000);
      expect(p.complete, name).toBe(false);
      // Generous: these take a few ms to ~100 ms here; a walk of the whole value or a quadratic plan would not.
      expect(ms, name).toBeLessThan(2_000);
    }
  });
});
