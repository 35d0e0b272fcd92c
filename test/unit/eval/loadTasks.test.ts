// The task folder format of `toolweaver eval`: NAME.tw.ts|.tw.js next to NAME.check.ts|.mjs|.js|.cjs;
// the check module is compiled and run in Node (TypeScript and ESM syntax, require relative to it);
// a script without a check, a check without `check`, and an unknown catalog subset are ConfigErrors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { ConfigError } from '../../../src/core/errors';
import { loadEvalTasks } from '../../../src/core/eval/loadTasks';
import { restrictCatalog } from '../../../src/core/eval/task';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-eval-load-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function configError(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (err) {
    if (ConfigError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEvalTasks', () => {
  it('loads TypeScript and ESM checks with their metadata, in name order', async () => {
    const dir = folder({
      'b.tw.ts': 'return 2;\n',
      'b.check.ts': "import { twice } from './helper.cjs';\nexport const servers: string[] = ['demo'];\nexport function check(v: unknown): boolean { return v === twice(1); }\n",
      'helper.cjs': 'exports.twice = (n) => n * 2;\n',
      'a.tw.js': 'export default async function main() { return 1; }\n',
      'a.check.mjs': "export const tools = ['demo.get_order'];\nexport const description = 'one';\nexport const check = (v) => (v === 1 ? true : 'not one');\n",
      'notes.md': 'not a task',
    });
    const tasks = await loadEvalTasks(dir);
    expect(tasks.map((t) => [t.name, t.language, t.servers, t.tools, t.description])).toEqual([
      ['a', 'js', undefined, ['demo.get_order'], 'one'],
      ['b', 'ts', ['demo'], undefined, undefined],
    ]);
    expect(await tasks[1]?.check?.(2)).toBe(true);
    expect(await tasks[1]?.check?.(3)).toBe(false);
    expect(await tasks[0]?.check?.(5)).toBe('not one');
    expect(tasks[0]?.script).toContain('export default');
  });

  it('refuses a script without a check, a check without check(), a bad subset and an empty folder', async () => {
    expect((await configError(loadEvalTasks(folder({ 'x.tw.ts': 'return 1;' })))).message).toContain('x.check.ts');
    const noFn = await configError(loadEvalTasks(folder({ 'x.tw.ts': 'return 1;', 'x.check.mjs': 'export const check = 1;' })));
    expect([noFn.code, noFn.message]).toEqual(['eval_task_invalid', expect.stringContaining('check(value)')]);
    const badTools = await configError(loadEvalTasks(folder({ 'x.tw.ts': 'return 1;', 'x.check.mjs': "export const tools = ['get_order']; export const check = () => true;" })));
    expect(badTools.message).toContain('server.tool');
    const throws = await configError(loadEvalTasks(folder({ 'x.tw.ts': 'return 1;', 'x.check.js': 'throw new Error("boom");' })));
    expect(throws.message).toContain('boom');
    expect((await configError(loadEvalTasks(folder({ 'readme.txt': '' })))).code).toBe('eval_task_invalid');
  });
});

describe('restrictCatalog', () => {
  const tool = (name: string) => ({ name, description: '', inputSchema: {} }) as unknown as Catalog['servers'][number]['tools'][number];
  const server = (name: string, tools: string[]) => ({ name, ident: name, source: 'mcp', status: { state: 'connected' }, tools: tools.map(tool) }) as unknown as Catalog['servers'][number];
  const catalog: Catalog = { id: 'cat1', servers: [server('demo', ['get_order', 'list_orders']), server('fs', ['read'])] };

  it('keeps only the named servers and tools, under an id of its own', () => {
    const sub = restrictCatalog(catalog, { name: 't', tools: ['demo.get_order'] });
    expect(sub.servers.map((s) => [s.name, s.tools.map((t) => t.name)])).toEqual([['demo', ['get_order']]]);
    expect(sub.id).not.toBe(catalog.id);
    expect(restrictCatalog(catalog, { name: 't', servers: ['fs'] }).servers.map((s) => s.name)).toEqual(['fs']);
    expect(restrictCatalog(catalog, { name: 't' })).toBe(catalog);
  });

  it('refuses a server or tool the catalog lacks', () => {
    expect(() => restrictCatalog(catalog, { name: 't', servers: ['nope'] })).toThrow(/server "nope"/);
    expect(() => restrictCatalog(catalog, { name: 't', tools: ['demo.nope'] })).toThrow(/tool "demo.nope"/);
  });
});
