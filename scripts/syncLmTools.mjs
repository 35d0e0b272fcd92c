// Writes package.json's contributes.languageModelTools modelDescription and inputSchema from the one
// definition of the code-mode tools (src/core/codeMode/tools.ts); the other fields (displayName,
// icon, tags, userDescription) stay as written. test/unit/codeMode/packageJson.test.ts fails until
// this has been run after a change. Usage: node scripts/syncLmTools.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tw-lmtools-'));
try {
  const out = path.join(tmp, 'tools.cjs');
  await build({ entryPoints: [path.join(root, 'src/core/codeMode/tools.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'warning' });
  const { CODE_MODE_TOOLS, inputJsonSchema, toolDescription, toolName } = createRequire(import.meta.url)(out);
  const file = path.join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const tool of CODE_MODE_TOOLS) {
    const entry = pkg.contributes.languageModelTools.find((t) => t.name === toolName(tool, 'lm'));
    if (!entry) throw new Error(`package.json has no languageModelTools entry named ${toolName(tool, 'lm')}; add one (displayName, icon, tags, userDescription) first.`);
    entry.modelDescription = toolDescription(tool, 'lm');
    entry.inputSchema = inputJsonSchema(tool);
  }
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
