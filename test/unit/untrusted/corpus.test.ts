// The corpus is the specification of the heuristic: detection rate on real-world injection styles,
// false-positive rate on ordinary tool output. The rates below are the ones docs/untrusted-text.md states.
import { describe, expect, it } from 'vitest';
import { scanCatalogText } from '../../../src/core/untrusted/catalogText';
import { scanForInjection } from '../../../src/core/untrusted/scan';
import { neutralize } from '../../../src/core/untrusted/unicode';
import { BENIGN, KNOWN_FALSE_POSITIVES } from './corpus/benign';
import { MALICIOUS } from './corpus/malicious';
import referenceServers from './corpus/referenceServers.json';

const flagged = (text: string) => scanForInjection(text).findings.length > 0;

describe('injection corpus', () => {
  it('is big enough to mean something', () => {
    expect(MALICIOUS.length).toBeGreaterThanOrEqual(40);
    expect(BENIGN.length).toBeGreaterThanOrEqual(200);
    expect(new Set(MALICIOUS.map((m) => m.id)).size).toBe(MALICIOUS.length);
    expect(new Set(BENIGN.map(([id]) => id)).size).toBe(BENIGN.length);
  });

  it('detects every malicious sample except the documented misses, with the expected kinds', () => {
    const problems: string[] = [];
    for (const m of MALICIOUS) {
      const { findings } = scanForInjection(m.text);
      if (m.knownMiss) {
        // If one of these starts being caught, move it out of the known misses (and update the docs).
        if (findings.length > 0) problems.push(`${m.id}: known miss is now detected`);
        continue;
      }
      if (findings.length === 0) problems.push(`${m.id}: not detected`);
      const kinds = new Set(findings.map((f) => f.kind));
      for (const k of m.kinds ?? []) if (!kinds.has(k)) problems.push(`${m.id}: no ${k} finding (got ${[...kinds].join(', ')})`);
    }
    expect(problems).toEqual([]);
    const detected = MALICIOUS.filter((m) => flagged(m.text)).length;
    const rate = detected / MALICIOUS.length;
    console.info(`injection corpus: detected ${detected}/${MALICIOUS.length} malicious samples (${(rate * 100).toFixed(1)} %)`);
    expect(detected).toBe(58);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });

  it('flags no benign sample (false-positive rate 0 on the corpus)', () => {
    const fps = BENIGN.filter(([, text]) => flagged(text)).map(([id, text]) => `${id}: ${scanForInjection(text).findings.map((f) => `${f.rule} "${f.excerpt}"`).join('; ')}`);
    console.info(`injection corpus: flagged ${fps.length}/${BENIGN.length} benign samples`);
    expect(fps).toEqual([]);
  });

  it('still flags the documented false positives (the docs list them; move one out when it stops)', () => {
    for (const [id, text] of KNOWN_FALSE_POSITIVES) expect(flagged(text), id).toBe(true);
  });

  it('flags nothing in the reference servers (server-everything, -filesystem, -memory) descriptions, schemas and instructions', () => {
    const servers = referenceServers as { name: string; instructions?: string; tools: { name: string; description?: string; inputSchema?: unknown }[] }[];
    expect(servers.reduce((n, s) => n + s.tools.length, 0)).toBe(36);
    expect(scanCatalogText(servers)).toEqual([]);
  });

  it('neutralize leaves every benign sample unchanged and changes every Unicode attack', () => {
    for (const [id, text] of BENIGN) expect(neutralize(text), id).toBe(text);
    const unicodeKinds = new Set(['hidden_tags', 'invisible_chars', 'bidi_control']);
    for (const m of MALICIOUS.filter((s) => s.kinds?.some((k) => unicodeKinds.has(k)))) {
      const out = neutralize(m.text);
      expect(out, m.id).not.toBe(m.text);
      // What neutralize leaves behind no longer hides characters.
      expect(scanForInjection(out).findings.filter((f) => unicodeKinds.has(f.kind)), m.id).toEqual([]);
    }
  });
});
