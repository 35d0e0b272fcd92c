// Builds every bundle in one go: the extension (node/cjs, `vscode` external), the CLI (node/cjs),
// the sandbox worker (node/cjs, loaded by worker_threads), the webview (browser/iife) and the
// benchmarks. `--production` minifies; `--watch` rebuilds with problem-matcher output.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NODE_ALIASES } from './scripts/lib/esbuildAliases.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * Big libraries loaded lazily (the compiler for the pre-run type check, ~9 MB; the tokenizer's
 * encodings, ~2 MB each) ship once in dist/vendor/: every node bundle requires them from there
 * instead of inlining its own copy, so the extension and the CLI share one of each.
 */
const SHARED_MODULES = {
  typescript: require.resolve('typescript'),
  'gpt-tokenizer/bpeRanks/o200k_base': require.resolve('gpt-tokenizer/bpeRanks/o200k_base'),
  'gpt-tokenizer/bpeRanks/cl100k_base': require.resolve('gpt-tokenizer/bpeRanks/cl100k_base'),
};
/** The file name of a shared module in dist/vendor/. */
const vendorName = (spec) => spec.split('/').pop();

/** @type {import('esbuild').Plugin} */
const sharedModules = {
  name: 'shared-modules',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(SHARED_MODULES).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${vendorName(args.path)}.js`, external: true }));
  },
};

const node = {
  bundle: true,
  alias: NODE_ALIASES,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: watch ? [problemMatcher] : [],
};

/** Every bundle; add new entry points here. */
export const bundles = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, external: ['vscode'], plugins: [...node.plugins, sharedModules] },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' }, plugins: [...node.plugins, sharedModules] },
  { ...node, entryPoints: { bench: 'bench/main.ts' }, plugins: [...node.plugins, sharedModules] },
  // The raw QuickJS peer's worker thread (bench/peers.ts, `npm run bench:peers`).
  { ...node, entryPoints: { benchPeerWorker: 'bench/peers/rawWorker.ts' } },
  // The one copy of each shared library the bundles above load (see sharedModules); no source maps.
  ...Object.entries(SHARED_MODULES).map(([spec, file]) => ({ ...node, sourcemap: false, entryPoints: { [`vendor/${vendorName(spec)}`]: file } })),
  // Test fixture (fault-injection MCP server); started by integration tests as a plain node script.
  { ...node, entryPoints: { 'test-fixtures/faultServer': 'test/fixtures/faultServer.ts' } },
  { ...node, entryPoints: { sandboxWorker: 'src/core/sandbox/worker/worker.ts' } },
  // Leads each stdio server's process group and ends it when its owner dies (processTransport.ts).
  { ...node, entryPoints: { serverSupervisor: 'src/core/catalog/serverSupervisor.ts' } },
  // Evaluated inside QuickJS before every script: plain ES2020, always minified (parse time per run).
  {
    bundle: true,
    platform: 'neutral',
    format: 'iife',
    target: 'es2020',
    minify: true,
    logLevel: 'warning',
    entryPoints: { sandboxPrelude: 'src/core/sandbox/guest/prelude.ts' },
    plugins: watch ? [problemMatcher] : [],
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'src/webview/main.ts' },
    plugins: watch ? [problemMatcher] : [],
  },
].filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p)));

/** Files that must sit next to the bundles at run time. */
function copyAssets() {
  mkdirSync('dist', { recursive: true });
  const wasm = path.join(
    path.dirname(require.resolve('@jitl/quickjs-wasmfile-release-sync/package.json')),
    'dist',
    'emscripten-module.wasm',
  );
  if (existsSync(wasm)) copyFileSync(wasm, 'dist/quickjs.wasm');
  // Codicons for the webview (served from dist/, inside the panel's localResourceRoots).
  const codicons = path.join(path.dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(path.join(codicons, f), `dist/codicons/${f}`);
  // TypeScript's ES lib declarations for the pre-run type check (src/core/agents/typeCheck.ts looks
  // in dist/ts-lib); no DOM, no webworker: scripts run in QuickJS.
  const tsLib = path.dirname(require.resolve('typescript/lib/lib.es5.d.ts'));
  mkdirSync('dist/ts-lib', { recursive: true });
  for (const f of readdirSync(tsLib)) {
    if (/^lib\.(es\d{4}(\.[\w.]+)?|es5|esnext(\.[\w.]+)?|decorators(\.legacy)?)\.d\.ts$/.test(f)) copyFileSync(path.join(tsLib, f), `dist/ts-lib/${f}`);
  }
}

async function main() {
  copyAssets();
  const outdir = 'dist';
  if (watch) {
    const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...b, outdir })));
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(bundles.map((b) => esbuild.build({ ...b, outdir })));
}

await main();
