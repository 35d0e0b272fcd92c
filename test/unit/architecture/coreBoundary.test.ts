// The engine must run in plain Node: nothing under src/core may import vscode (ESLint checks it too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/core boundary', () => {
  it('has source files to check', () => {
    expect(filesUnder('src/core').length).toBeGreaterThan(3);
  });
  it('never imports vscode', () => {
    const offenders = filesUnder('src/core').filter((f) =>
      /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
