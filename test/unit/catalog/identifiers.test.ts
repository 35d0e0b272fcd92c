import { describe, expect, it } from 'vitest';
import { assignIdentifiers, toIdentifier } from '../../../src/core/catalog/identifiers';

describe('toIdentifier', () => {
  it.each([
    ['echo', 'echo'],
    ['get-env', 'get_env'],
    ['fs/read.file', 'fs_read_file'],
    ['github.com/search issues', 'github_com_search_issues'],
    ['2fa', '_2fa'],
    ['123', '_123'],
    ['delete', 'delete_'],
    ['class', 'class_'],
    ['constructor', 'constructor_'],
    ['__proto__', '__proto___'],
    ['then', 'then_'],
    ['café', 'café'],
    ['データ取得', 'データ取得'],
    ['🚀', '_'],
    ['rocket🚀launch', 'rocket_launch'],
    ['-leading-and-trailing-', 'leading_and_trailing'],
    ['__private', '__private'],
    ['$dollar', '$dollar'],
    ['', '_'],
    ['e\u0301', 'é'], // NFC: combining accent becomes one letter
  ])('%j → %j', (name, ident) => {
    expect(toIdentifier(name)).toBe(ident);
  });

  it('always yields a valid identifier', () => {
    for (const name of ['a b', '1-2-3', '.', '/', 'x.y/z-w', 'in', 'await', '\u0000nul']) {
      const ident = toIdentifier(name);
      expect(() => new Function(`const ${ident} = 1; return ${ident};`)).not.toThrow();
    }
  });
});

describe('assignIdentifiers', () => {
  it('resolves collisions deterministically; the exact name keeps the plain identifier', () => {
    const map = assignIdentifiers(['get-user', 'get_user', 'get.user']);
    expect(Object.fromEntries(map)).toEqual({ get_user: 'get_user', 'get-user': 'get_user_2', 'get.user': 'get_user_3' });
  });

  it('is independent of the order names are listed', () => {
    const names = ['a-b', 'a.b', 'a/b', 'x', 'delete', 'delete_'];
    const expected = Object.fromEntries(assignIdentifiers(names));
    expect(expected).toEqual({ 'a-b': 'a_b', 'a.b': 'a_b_2', 'a/b': 'a_b_3', x: 'x', delete: 'delete__2', delete_: 'delete_' });
    for (let i = 0; i < 10; i++) {
      const shuffled = [...names].sort(() => Math.random() - 0.5);
      expect(Object.fromEntries(assignIdentifiers(shuffled))).toEqual(expected);
    }
  });

  it('never hands out a suffix another name maps to on its own', () => {
    const map = assignIdentifiers(['a-b', 'a.b', 'a_b_2']);
    expect(Object.fromEntries(map)).toEqual({ 'a-b': 'a_b', 'a.b': 'a_b_3', a_b_2: 'a_b_2' });
    expect(new Set(map.values()).size).toBe(3);
  });
});
