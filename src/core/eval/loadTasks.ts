// Reads a folder of the user's eval tasks for `toolweaver eval`: each `NAME.tw.ts` (or .tw.js) script
// with a sibling `NAME.check.ts|.mts|.js|.mjs|.cjs` module exporting `check`. Invariant: the check is
// the user's own code and runs in this process (trusted, like a test file); the script only ever runs
// in the sandbox. Every problem with a task file is a ConfigError naming the file.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { transform } from 'sucrase';
import { z } from 'zod';
import { ConfigError } from '../errors';
import type { EvalTask } from './task';

/** The name of the stored baseline inside a task folder. */
export const EVAL_BASELINE_FILE = 'baseline.json';

const SCRIPT = /^(.+)\.tw\.(ts|js)$/;
const CHECK_EXTS = ['.check.ts', '.check.mts', '.check.js', '.check.mjs', '.check.cjs'] as const;

/** What a check module may export besides `check`. */
const CheckModuleSchema = z.object({
  check: z.custom<EvalTask['check']>((v) => typeof v === 'function', { message: 'export a function `check(value)` that returns true when the value is correct' }),
  description: z.string().optional(),
  servers: z.array(z.string().min(1)).optional(),
  tools: z.array(z.string().regex(/^[^.]+\..+$/, 'tools are written server.tool')).optional(),
  expect: z.enum(['ok', 'failure']).optional(),
});

/** Evaluates a check module as CommonJS (ESM syntax and TypeScript are compiled with sucrase first),
 *  with `require` relative to the file. Top-level await is not available. */
function loadModule(file: string, text: string): Record<string, unknown> {
  const ts = /\.m?ts$/.test(file);
  const { code } = transform(text, { transforms: ts ? ['typescript', 'imports'] : ['imports'], filePath: file });
  const module = { exports: {} as Record<string, unknown> };
  const fn = new Function('exports', 'require', 'module', '__filename', '__dirname', code) as (...a: unknown[]) => void;
  fn(module.exports, createRequire(file), module, file, path.dirname(file));
  const ex = module.exports;
  // `export default { check }` or `module.exports = { check }`, as well as named exports.
  return typeof ex.default === 'object' && ex.default !== null && !('check' in ex) ? (ex.default as Record<string, unknown>) : ex;
}

async function loadCheck(file: string): Promise<z.infer<typeof CheckModuleSchema>> {
  let mod: Record<string, unknown>;
  try {
    mod = loadModule(file, await readFile(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('eval_task_invalid', `The check ${file} could not be loaded: ${err instanceof Error ? err.message : String(err)}. Fix it (it runs in Node as your own code).`, { cause: err, file });
  }
  const parsed = CheckModuleSchema.safeParse(mod);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError('eval_task_invalid', `The check ${file} is not valid: ${issue ? `${issue.path.join('.') || 'exports'}: ${issue.message}` : 'invalid exports'}.`, { file });
  }
  return parsed.data;
}

/** The tasks of `dir`, in name order. A folder without tasks, or a script without its check, is a ConfigError. */
export async function loadEvalTasks(dir: string): Promise<EvalTask[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new ConfigError('config_unreadable', `Cannot read the eval folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`, { cause: err, file: dir });
  }
  const present = new Set(names);
  const tasks: EvalTask[] = [];
  for (const name of names.sort()) {
    const m = SCRIPT.exec(name);
    if (!m) continue;
    const base = m[1] as string;
    const checkName = CHECK_EXTS.map((e) => base + e).find((c) => present.has(c));
    const scriptPath = path.join(dir, name);
    if (!checkName) {
      throw new ConfigError('eval_task_invalid', `The task ${scriptPath} has no check: add ${base}.check.ts (or .js/.mjs) exporting check(value).`, { file: scriptPath });
    }
    const check = await loadCheck(path.join(dir, checkName));
    tasks.push({
      name: base,
      description: check.description,
      script: await readFile(scriptPath, 'utf8'),
      language: m[2] as 'ts' | 'js',
      scriptPath,
      servers: check.servers,
      tools: check.tools,
      expect: check.expect,
      check: check.check,
    });
  }
  if (tasks.length === 0) {
    throw new ConfigError('eval_task_invalid', `No eval tasks in ${dir}: a task is NAME.tw.ts (the script) next to NAME.check.ts exporting check(value).`, { file: dir });
  }
  return tasks;
}
