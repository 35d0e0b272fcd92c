import { describe, expect, it } from 'vitest';
import { decodesToData, looksLikeAwsSecret, shannonEntropy, wordiness } from '../../../src/core/redact/entropy';
import { createRedactor } from '../../../src/core/redact/redactor';
import { benignCorpus, randomAwsSecrets } from '../../fixtures/redactCorpus';

// The rates docs/redaction.md quotes; a change to the rule that moves them must update the doc.
const DOCUMENTED = { benign: 7805, benignFlagged: 0, keys: 10_000, keysCaught: 9983 };
const SHAPE = /(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/;

describe('the standalone AWS secret key rule (entropy)', () => {
  it('flags no string of the benign corpus (the false-positive rate docs/redaction.md states)', () => {
    const r = createRedactor();
    let total = 0;
    let shaped = 0;
    const flagged: string[] = [];
    for (const [category, samples] of Object.entries(benignCorpus())) {
      for (const s of samples) {
        total++;
        if (SHAPE.test(s)) shaped++;
        const out = r.text(s);
        if (out.value !== s) flagged.push(`${category}: ${s} -> ${out.value}`);
      }
    }
    expect(flagged).toEqual([]);
    expect(total).toBe(DOCUMENTED.benign);
    // Most of the corpus has the key's exact shape, so the rule is really exercised, not skipped.
    expect(shaped).toBeGreaterThan(4000);
  });

  it('catches random keys of the AWS shape at the documented rate', () => {
    const r = createRedactor();
    const keys = randomAwsSecrets(DOCUMENTED.keys);
    const caught = keys.filter((k) => r.text(`value ${k}\n`).value === 'value [REDACTED:aws_secret_key_like]\n').length;
    expect(caught).toBe(DOCUMENTED.keysCaught);
  });

  it('judges each signal on its own', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(wordiness('getNextNonSpaceNonCommentCharacterIndex2')).toBeGreaterThan(0.8);
    expect(wordiness('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBeLessThan(0.7);
    expect(decodesToData(Buffer.from('Patience is the key to success').toString('base64'))).toBe(true);
    expect(decodesToData(Buffer.from(new Int16Array([1, 2, 3, 400, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]).buffer).toString('base64'))).toBe(true);
    expect(looksLikeAwsSecret('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(true);
    expect(looksLikeAwsSecret('9fceb02d0ae598e95dc970b74767f19372d61af8')).toBe(false); // hex: a git SHA
    expect(looksLikeAwsSecret('9FCEB02D0AE598E95DC970B74767f19372d61af8')).toBe(false); // hex in mixed case
    expect(looksLikeAwsSecret('wJalrXUtnFEMIqKxMDENGbPxRfiCYEXAMPLEKEYa')).toBe(false); // no digit
  });

  it('can be switched off on its own', () => {
    const text = 'key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(createRedactor({ disable: ['aws_secret_key_like'] }).redactText(text)).toBe(text);
  });
});
