// Stubs of real servers: connects @modelcontextprotocol/server-everything, -filesystem and -memory
// over stdio through loadCatalog, writes their stubs, and type-checks them with the TypeScript
// compiler (strict, through the generated tsconfig.json) together with a script: zero diagnostics.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { writeStubs } from '../../../src/core/stubs/writeStubs';
import { compileFolder } from '../../fixtures/stubs/compileStubs';

const ROOT = path.resolve(__dirname, '../../..');

/** The `bin` entry of a reference server package (never npx: slow and fails offline). */
function serverBin(pkg: string): string {
  const dir = path.join(ROOT, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return path.join(dir, Object.values(manifest.bin)[0] as string);
}

const SCRIPT = `
const text = await tools.filesystem.read_text_file({ path: 'notes.txt', tail: 5 });
const size: number = text.content.length;
const tree = await tools.filesystem.directory_tree({ path: '.', excludePatterns: ['node_modules'] });
await tools.memory.create_entities({ entities: [{ name: 'a', entityType: 'thing', observations: [] }] });
const graph = await tools.memory.read_graph();
const names: string[] = graph.entities.map((e) => e.name);
const echoed: unknown = await tools.everything.echo({ message: 'hi' });
const sums = await map([1, 2, 3], (n) => tools.everything.get_sum({ a: n, b: n }), { concurrency: 2 });
const weather = await tools.everything.get_structured_content({ location: 'New York' });
console.log(size, tree.content, names, echoed, sums.length, weather.humidity.toFixed(1));
`;

let work: string;
let loaded: LoadedCatalog;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'tw-stubs-ref-'));
  loaded = await loadCatalog({
    cwd: work,
    servers: {
      everything: { type: 'stdio', command: process.execPath, args: [serverBin('@modelcontextprotocol/server-everything')] },
      filesystem: { type: 'stdio', command: process.execPath, args: [serverBin('@modelcontextprotocol/server-filesystem'), work] },
      memory: {
        type: 'stdio',
        command: process.execPath,
        args: [serverBin('@modelcontextprotocol/server-memory')],
        env: { MEMORY_FILE_PATH: path.join(work, 'memory.jsonl') },
      },
    },
    connectTimeoutMs: 20_000,
  });
});

afterAll(async () => {
  await loaded?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('stubs of the reference servers', () => {
  it('connects all three and lists their tools', () => {
    const summary = loaded.catalog.servers.map((s) => [s.name, s.status.state, s.tools.length > 0]);
    expect(summary).toEqual([
      ['everything', 'connected', true],
      ['filesystem', 'connected', true],
      ['memory', 'connected', true],
    ]);
  });

  it('writes one file per tool and compiles strict with a script, zero diagnostics', async () => {
    const out = path.join(work, 'stubs');
    const report = await writeStubs(loaded.catalog, out);
    const toolCount = loaded.catalog.servers.reduce((n, s) => n + s.tools.length, 0);
    expect(report.written).toHaveLength(toolCount + loaded.catalog.servers.length + 3);
    for (const s of loaded.catalog.servers) {
      for (const t of s.tools) expect(report.written).toContain(`servers/${s.ident}/${t.ident}.ts`);
    }
    // Tools with an outputSchema get a real output type, not unknown.
    const readFile = readFileSync(path.join(out, 'servers/filesystem/read_text_file.ts'), 'utf8');
    expect(readFile).toContain('export interface ReadTextFileOutput {\n  content: string;\n}\n');
    writeFileSync(path.join(out, 'script.ts'), SCRIPT);
    expect(compileFolder(out)).toEqual([]);
    writeFileSync(path.join(out, 'script.ts'), `${SCRIPT}\nawait tools.memory.read_graph({ extra: 1 });\n`);
    expect(compileFolder(out)).toEqual([
      expect.stringMatching(/^script\.ts\(13,33\): Type 'number' is not assignable to type 'never'\./),
    ]);
  });

  it('regenerates nothing when the live catalog is unchanged', async () => {
    const out = path.join(work, 'stubs-twice');
    await writeStubs(loaded.catalog, out);
    const again = await writeStubs(loaded.catalog, out);
    expect(again.written).toEqual([]);
    expect(again.deleted).toEqual([]);
  });
});
