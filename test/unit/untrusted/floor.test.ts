// src/core/untrusted is a ground floor: the catalog, agents, MCP server and extension build on it, so
// it may import only its own files, node: built-ins and zod (an upward import would make a cycle).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = 'src/core/untrusted';

describe('src/core/untrusted floor', () => {
  it('imports nothing but its own files, node: built-ins and zod', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(path.join(DIR, f), 'utf8');
      for (const m of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = (m[1] ?? m[2] ?? m[3]) as string;
        const ok = (spec.startsWith('./') && !spec.includes('/', 2)) || spec.startsWith('node:') || spec === 'zod';
        if (!ok) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
