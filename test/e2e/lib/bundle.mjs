// Bundles the e2e test files with esbuild: every test/e2e/suite/**/*.test.ts into one CommonJS
// module exporting run() (the extensionTestsPath VS Code loads in the extension host), and every
// test/e2e/ui/**/*.ui.ts into one ES module exporting run() for playwright. Output goes to
// out/e2e/ — not dist/, which is what the .vsix ships.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { NODE_ALIASES } from '../../../scripts/lib/esbuildAliases.mjs';

/** @param {string} dir @param {RegExp} re */
function findFiles(dir, re) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => re.test(f))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** An entry that imports each test file (they register on import) and re-exports `run`. */
function entry(files, indexModule) {
  return [...files.map((f) => `import './${f}';`), `export { run } from './${indexModule}';`].join('\n');
}

/**
 * @param {string} repo absolute repo root
 * @returns {Promise<{ extensionTests: string, uiTests: string, extensionTestFiles: string[], uiTestFiles: string[] }>}
 */
export async function bundleE2e(repo) {
  const suiteDir = path.join(repo, 'test/e2e/suite');
  const uiDir = path.join(repo, 'test/e2e/ui');
  const outDir = path.join(repo, 'out/e2e');
  const extensionTestFiles = findFiles(suiteDir, /\.test\.ts$/);
  const uiTestFiles = findFiles(uiDir, /\.ui\.ts$/);
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    alias: NODE_ALIASES,
    sourcemap: 'inline',
    logLevel: 'warning',
    absWorkingDir: repo,
  };
  await Promise.all([
    esbuild.build({
      ...common,
      format: 'cjs',
      external: ['vscode'],
      stdin: { contents: entry(extensionTestFiles, 'index'), resolveDir: suiteDir, loader: 'ts', sourcefile: 'extension-tests-entry.ts' },
      outfile: path.join(outDir, 'extension-tests.js'),
    }),
    esbuild.build({
      ...common,
      format: 'esm',
      packages: 'external', // playwright-core etc. resolve from node_modules at run time
      stdin: { contents: entry(uiTestFiles, 'index'), resolveDir: uiDir, loader: 'ts', sourcefile: 'ui-tests-entry.ts' },
      outfile: path.join(outDir, 'ui-tests.mjs'),
    }),
  ]);
  return {
    extensionTests: path.join(outDir, 'extension-tests.js'),
    uiTests: path.join(outDir, 'ui-tests.mjs'),
    extensionTestFiles,
    uiTestFiles,
  };
}
