// Builds the .vsix from a staging folder: production bundles (minified, no maps) are built there,
// not into the repo's dist/, so packaging never clobbers the dev build that tests and the e2e
// suite use. Invariant: the staging folder holds exactly the files .vscodeignore ships.
// Usage: node scripts/buildVsix.mjs [OUT.vsix]   (default toolweaver.vsix); prints the path and size.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSCE = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
/** Sources the build reads (linked), and the files vsce packs besides dist/ (copied). */
const LINKED = ['src', 'bench', 'test', 'node_modules'];
const COPIED = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'docs'];

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * @param {string} out where the .vsix goes (absolute or relative to the current folder)
 * @returns {{ file: string, bytes: number }}
 */
export function buildVsix(out) {
  const file = path.resolve(out);
  const stage = mkdtempSync(path.join(os.tmpdir(), 'tw-vsix-stage-'));
  try {
    for (const f of LINKED) symlinkSync(path.join(REPO, f), path.join(stage, f));
    for (const f of COPIED) if (existsSync(path.join(REPO, f))) cpSync(path.join(REPO, f), path.join(stage, f), { recursive: true });
    run(process.execPath, [path.join(REPO, 'esbuild.mjs'), '--production'], stage);
    run(process.execPath, [VSCE, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', file], stage);
    return { file, bytes: statSync(file).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { file, bytes } = buildVsix(process.argv[2] ?? 'toolweaver.vsix');
    console.log(`${file}: ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} bytes)`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
