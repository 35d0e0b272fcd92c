// src/core/preview sits on the ground floor: it imports only its own files and zod, so every surface
// (MCP server, LM tools, chat, CLI) can use it without pulling in the sandbox, the catalog or VS Code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('src/core/preview imports', () => {
  it('reach nothing outside the folder but zod', () => {
    const dir = 'src/core/preview';
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const outside = files.flatMap((f) =>
      [...readFileSync(path.join(dir, f), 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1] as string)
        .filter((spec) => !/^\.\/[A-Za-z]+$/.test(spec) && spec !== 'zod')
        .map((spec) => `${f}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
