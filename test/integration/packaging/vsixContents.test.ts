// What the .vsix ships: the real package built by `npm run package` (production bundles from a
// staging folder), at most 5 MB, holding everything the bundles load at run time and nothing else,
// and its files run alone — unpacked far from any node_modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs module without declarations
import { buildVsix } from '../../../scripts/buildVsix.mjs';

const MAX_VSIX_BYTES = 5 * 1000 * 1000;

describe('the .vsix', () => {
  let root: string;
  let vsix: { file: string; bytes: number };
  let files: string[];
  let extensionDir: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tw-vsix-'));
    vsix = buildVsix(path.join(root, 'toolweaver.vsix')) as { file: string; bytes: number };
    console.log(`[packaging] toolweaver.vsix: ${(vsix.bytes / 1e6).toFixed(2)} MB (${vsix.bytes} bytes; limit ${MAX_VSIX_BYTES / 1e6} MB)`);
    const unpacked = path.join(root, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('unzip', ['-q', vsix.file, '-d', unpacked]);
    extensionDir = path.join(unpacked, 'extension');
    files = execFileSync('find', ['.', '-type', 'f'], { cwd: extensionDir, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/^\.\//, '').trim())
      .filter(Boolean);
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is at most 5 MB', () => {
    expect(vsix.bytes).toBeLessThanOrEqual(MAX_VSIX_BYTES);
  });

  it('contains every file the bundles load at run time', () => {
    for (const f of [
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE.txt',
      'dist/extension.js', 'dist/cli.js', 'dist/sandboxWorker.js', 'dist/sandboxPrelude.js', 'dist/serverSupervisor.js', 'dist/quickjs.wasm', 'dist/webview.js',
      'dist/vendor/typescript.js', 'dist/vendor/o200k_base.js', 'dist/vendor/cl100k_base.js',
      'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', 'dist/ts-lib/lib.es2022.d.ts',
      'media/panel.css', 'media/toolweaver.svg', 'media/icon.png', 'media/walkthrough/run.md', 'docs/panel.png',
    ]) expect(files.map((x) => x.toLowerCase()), f).toContain(f.toLowerCase()); // vsce renames readme.md, changelog.md, LICENSE.txt
  });

  it('ships nothing else: no maps, sources, tests or fixtures, and one copy of each big library', () => {
    const unexpected = files.filter((f) => /\.map$|^src\/|^test\/|^bench\/|test-fixtures|node_modules|\.ts$/.test(f) && !/^dist\/ts-lib\/lib\..*\.d\.ts$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /^dist\/(bench|typescript)\.js$/.test(f))).toEqual([]);
  });

  it('runs from the packaged files alone, with no node_modules anywhere above them', () => {
    const cwd = path.join(root, 'work');
    mkdirSync(cwd);
    const cli = path.join(extensionDir, 'dist', 'cli.js');
    const out = execFileSync(process.execPath, [cli, 'demo', '--json'], { cwd, encoding: 'utf8', timeout: 60_000 });
    const run = JSON.parse(out) as { ok: boolean; stats: { toolCalls: number }; tokens?: { codeModeCostMore: boolean } };
    expect(run.ok).toBe(true);
    expect(run.stats.toolCalls).toBe(22);
    expect(run.tokens?.codeModeCostMore).toBe(false);
  }, 90_000);

  it('type-checks with the shared compiler (dist/vendor/typescript.js) from the packaged files', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const cwd = path.join(root, 'work-mcp');
    mkdirSync(cwd);
    const client = new Client({ name: 'vsix-test', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(extensionDir, 'dist', 'cli.js'), 'mcp'], cwd, stderr: 'ignore' }));
    try {
      const res = (await client.callTool({ name: 'run_code', arguments: { code: 'const n: number = "not a number";\nreturn n;' } })) as { isError?: boolean; content: { type: string; text?: string }[] };
      const text = res.content.map((c) => c.text ?? '').join('\n');
      expect(res.isError).toBe(true);
      expect(text).toMatch(/TS2322|not assignable to type 'number'/);
    } finally {
      await client.close();
    }
  }, 90_000);
});
