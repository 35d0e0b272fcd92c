// The literals Save Run as Skill offers: each once, with the key before it proposed as the field name.
import { describe, expect, it } from 'vitest';
import { scriptLiterals } from '../../../src/core/skills/scriptLiterals';

describe('scriptLiterals', () => {
  it('lists strings, numbers and booleans once, with the key before each', () => {
    const src = "const r = await tools.demo.search({ region: ['emea'], limit: 10, deep: true });\n// note: 'not this'\nconst again = await tools.demo.search({ region: ['emea'], page: 2.5 });\nconst label = \"Top\";\nreturn r.items.slice(0, 3);\n";
    expect(scriptLiterals(src)).toEqual([
      { text: "'emea'", suggested: 'region', line: 1 },
      { text: '10', suggested: 'limit', line: 1 },
      { text: 'true', suggested: 'deep', line: 1 },
      { text: '2.5', suggested: 'page', line: 3 },
      { text: '"Top"', suggested: 'label', line: 4 },
      { text: '0', suggested: 'param6', line: 5 },
      { text: '3', suggested: 'param7', line: 5 },
    ]);
  });
  it('skips digits inside names and member access', () => {
    expect(scriptLiterals('const a1 = x.v2;\nreturn a1;').map((l) => l.text)).toEqual([]);
  });
});
