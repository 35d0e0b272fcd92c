// What the .vsix ships (vsce ls applies .vscodeignore): everything the bundles load at run time,
// and nothing else (no source maps, tests, fixtures or sources).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const VSCE = path.resolve('node_modules/@vscode/vsce/vsce');

describe('the .vsix contents', () => {
  const files = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

  it('contains every file the bundles load at run time', () => {
    for (const f of [
      'package.json', 'README.md', 'LICENSE',
      'dist/extension.js', 'dist/cli.js', 'dist/sandboxWorker.js', 'dist/sandboxPrelude.js', 'dist/serverSupervisor.js', 'dist/quickjs.wasm', 'dist/webview.js',
      'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf', 'dist/ts-lib/lib.es2022.d.ts',
      'media/panel.css', 'media/toolweaver.svg', 'media/icon.png', 'media/walkthrough/run.md', 'docs/panel.png',
    ]) expect(files, f).toContain(f);
  });

  it('ships nothing else', () => {
    const unexpected = files.filter((f) => /\.map$|^src\/|^test\/|^bench\/|test-fixtures|node_modules|\.ts$/.test(f) && !/^dist\/ts-lib\/lib\..*\.d\.ts$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('runs from the packaged files alone, with no node_modules anywhere above them', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tw-vsix-'));
    try {
      for (const f of files) {
        mkdirSync(path.dirname(path.join(root, 'extension', f)), { recursive: true });
        cpSync(f, path.join(root, 'extension', f));
      }
      const cwd = path.join(root, 'work');
      mkdirSync(cwd);
      const out = execFileSync(process.execPath, [path.join(root, 'extension', 'dist', 'cli.js'), 'demo', '--json'], { cwd, encoding: 'utf8', timeout: 60_000 });
      const run = JSON.parse(out) as { ok: boolean; stats: { toolCalls: number }; tokens?: { codeModeCostMore: boolean } };
      expect(run.ok).toBe(true);
      expect(run.stats.toolCalls).toBe(22);
      expect(run.tokens?.codeModeCostMore).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});

