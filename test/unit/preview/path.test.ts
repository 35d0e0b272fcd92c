import { describe, expect, it } from 'vitest';
import { PreviewError } from '../../../src/core/preview/errors';
import { formatPath, parsePath, resolvePath, type PathSegment } from '../../../src/core/preview/path';
import { mulberry32 } from '../../../src/core/demo/random';

function errorOf(fn: () => unknown): PreviewError {
  try {
    fn();
  } catch (err) {
    if (PreviewError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a PreviewError');
}

describe('formatPath', () => {
  it('writes identifiers with dots, indexes in brackets and other keys as JSON strings', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['customers', 12, 'notes'])).toBe('$.customers[12].notes');
    expect(formatPath(['first name', 'e-mail', '$ok', '_x1'])).toBe('$["first name"]["e-mail"].$ok._x1');
    expect(formatPath(['12', 12, '', 'a"b', 'line\nbreak', 'é'])).toBe('$["12"][12][""]["a\\"b"]["line\\nbreak"]["é"]');
  });
});

describe('parsePath', () => {
  it('reads the canonical form', () => {
    expect(parsePath('$')).toEqual([]);
    expect(parsePath('$.customers[12].notes')).toEqual(['customers', 12, 'notes']);
    expect(parsePath('$["first name"][0]["a\\"b"]')).toEqual(['first name', 0, 'a"b']);
    expect(parsePath('$["\\u00e9\\n"]')).toEqual(['é\n']);
  });

  it('accepts what models tend to write: no $, single quotes, surrounding spaces', () => {
    expect(parsePath('customers[0].name')).toEqual(['customers', 0, 'name']);
    expect(parsePath("  $['a b']['it\\'s']  ")).toEqual(['a b', "it's"]);
    expect(parsePath('[3]')).toEqual([3]);
  });

  it('round-trips every segment list, odd keys included', () => {
    const odd: PathSegment[] = ['', ' ', '"', "'", '\\', '\n', '\u0000', '\ud800', '😀', '«…»', '[0]', '.x', '$', '$$', '0', '01', '12', 'a.b', ']', 'ok', 0, 7, 1234567];
    const r = mulberry32(11);
    for (let t = 0; t < 500; t++) {
      const segs = Array.from({ length: Math.floor(r() * 6) }, () => odd[Math.floor(r() * odd.length)] as PathSegment);
      const text = formatPath(segs);
      expect(parsePath(text)).toEqual(segs);
      expect(formatPath(parsePath(text))).toBe(text);
    }
  });

  it('names the position of the first bad character', () => {
    const cases: [string, number][] = [
      ['', 0],
      ['$.', 2],
      ['$.1a', 2],
      ['$[', 2],
      ['$[01]', 2],
      ['$[1', 3],
      ['$["a"', 5],
      ['$["a\\q"]', 4],
      ['$x y', 2],
      ['#', 0],
      ['$.a b', 3],
    ];
    for (const [text, position] of cases) {
      const err = errorOf(() => parsePath(text));
      expect(err.code, text).toBe('bad_path');
      expect(err.position, text).toBe(position);
      expect(err.message).toContain(`position ${position}`);
    }
  });
});

describe('resolvePath', () => {
  const value = { customers: [{ id: 1, notes: 'hi', 'first name': 'Ada' }], '3': 'three', n: null };

  it('finds values by keys and indexes, leniently across the two', () => {
    expect(resolvePath(value, ['customers', 0, 'notes'])).toBe('hi');
    expect(resolvePath(value, ['customers', '0', 'first name'])).toBe('Ada');
    expect(resolvePath(value, [3])).toBe('three');
    expect(resolvePath(value, ['n'])).toBeNull();
  });

  it('names the deepest prefix that exists and what is there', () => {
    let err = errorOf(() => resolvePath(value, ['customers', 0, 'email']));
    expect(err.code).toBe('path_not_found');
    expect(err.deepestPath).toBe('$.customers[0]');
    expect(err.message).toBe('There is no value at $.customers[0].email: $.customers[0] is an object without the key "email" (3 keys: id, notes, ["first name"]).');
    err = errorOf(() => resolvePath(value, ['customers', 5]));
    expect(err.deepestPath).toBe('$.customers');
    expect(err.message).toBe('There is no value at $.customers[5]: $.customers is an array of 1 item (indexes 0 to 0).');
    err = errorOf(() => resolvePath(value, ['n', 'x']));
    expect(err.message).toBe('There is no value at $.n.x: $.n is null, which has no keys.');
    err = errorOf(() => resolvePath(value, ['toString']));
    expect(err.deepestPath).toBe('$');
  });
});
