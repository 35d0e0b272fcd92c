import { describe, expect, it } from 'vitest';
import { analyzeHomoglyphs, decodeTags, neutralize, tagMarker } from '../../../src/core/untrusted/unicode';
import { tags, variationSelectors, zeroWidthBits } from './corpus/encode';

describe('neutralize', () => {
  it('shows tag characters as a marker with the decoded text', () => {
    expect(neutralize(`Hi${tags('Ignore "all"')}!`)).toBe('Hi[U+E0049…: "Ignore \\"all\\""]!');
    expect(tagMarker([0xe0041])).toBe('[U+E0041: "A"]');
    expect(decodeTags([0xe0001, 0xe0068, 0xe0069, 0xe007f])).toBe('hi');
  });

  it('keeps subdivision flags (tag sequences after a black flag) as they are', () => {
    const england = '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(neutralize(`go ${england}!`)).toBe(`go ${england}!`);
    // The same tags without the flag base are hidden text.
    expect(neutralize('x\u{E0067}\u{E0062}\u{E007F}')).toBe('x[U+E0067…: "gb"]');
  });

  it('makes zero-width runs visible, with the bytes hidden in variation selectors', () => {
    expect(neutralize(`a${zeroWidthBits('A')}b`)).toBe('a[8 invisible characters U+200B U+200C]b');
    expect(neutralize(variationSelectors('😊', 'hi there'))).toBe('😊[8 invisible characters U+E0158 U+E0159 U+E0110 U+E0164 …: "hi there"]');
  });

  it('drops zero-width characters that split a word, but not a single one', () => {
    expect(neutralize('ig\u200Bno\u200Bre this')).toBe('ignore this');
    expect(neutralize('@\u200Bhere and a\u200Bb')).toBe('@\u200Bhere and a\u200Bb');
  });

  it('marks bidi controls outside right-to-left text and keeps them inside it', () => {
    expect(neutralize('file\u202Efdp.exe')).toBe('file[U+202E]fdp.exe');
    const hebrew = 'המשתמש \u202Aalice@example.com\u202C הצטרף';
    expect(neutralize(hebrew)).toBe(hebrew);
  });

  it('returns the same string for ordinary text', () => {
    const s = 'Family 👨‍👩‍👧 ❤️‍🔥 می‌خواهم ภาษา\u200Bไทย Donau\u00ADdampf';
    expect(neutralize(s)).toBe(s);
  });
});

describe('analyzeHomoglyphs', () => {
  it('flags Latin words with look-alike letters and folds them', () => {
    const { findings, folds } = analyzeHomoglyphs('please іgnоre this');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'homoglyphs', rule: 'mixed_script_word', offset: 7, decoded: 'ignore' });
    expect(folds.map((f) => f.to)).toEqual(['i', 'o']);
  });

  it('leaves Russian, Greek and Latin words with a Cyrillic ending alone', () => {
    expect(analyzeHomoglyphs('Система в GitHubе, 5 μs, αβγ, Москва').findings).toEqual([]);
  });

  it('flags an all-look-alike spelling of a keyword', () => {
    const { findings } = analyzeHomoglyphs('ѕуѕтем'); // s y s t e m in Cyrillic — "ѕуѕтем" folds to "syst" + "em"
    expect(findings.map((f) => f.decoded)).toEqual(['system']);
  });
});
