// `toolweaver skills list|show|run|test|save`: the workspace's skills (.toolweaver/skills/*.ts, plus the
// embedded demo's account_review when the catalog is the demo). `list --json` prints an array of
// { name, description, file, input }; `run --json` prints the same result contract as `run --json`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bool, list, str, type FlagSpec, type ParsedArgs } from '../args';
import { APPROVAL_FLAGS, approvalPolicyFromArgs } from '../approvalArgs';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { SkillError, UsageError } from '../../core/errors';
import { createPrivacyVault } from '../../core/firewall/vault';
import { parseFirewallCategories } from '../../core/firewall/categories';
import { executeRun } from '../../core/run/executeRun';
import { createSandbox, type Sandbox } from '../../core/sandbox/sandbox';
import { createSkillRecords, describeRecord, SKILLS_TEST_ORIGIN, type SkillRecords } from '../../core/skills/records';
import { skillFromTrace, writeSkillFile, type SkillParam } from '../../core/skills/saveSkill';
import { DEFAULT_SKILLS_DIR, skillCallScript, type Skill, type SkillSet } from '../../core/skills/skillSet';
import { loadWorkspaceSkills } from '../../core/skills/workspaceSkills';
import { skillDefinitionTokens } from '../../core/skills/skillTools';
import { loadDefaultTokenizer } from '../../core/tokens/tokenizer';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';
import { formatTokenAccount } from '../../core/tokens/format';
import { CATALOG_FLAGS, describeFailures, loadCatalogFromArgs } from './catalog';
import { limitsFromArgs, printRunReport } from './run';
import { onShutdown } from '../shutdown';

const flags: FlagSpec = {
  ...CATALOG_FLAGS,
  skills: { kind: 'string', help: `the skills folder (default ${DEFAULT_SKILLS_DIR})` },
  json: { kind: 'boolean', help: 'print JSON on stdout (list: an array of skills; run: the run result contract)' },
  input: { kind: 'string', help: 'run: the skill\'s input as JSON (default {})' },
  'trace-dir': { kind: 'string', help: 'where traces are read and written (default: .toolweaver/traces)' },
  'timeout-ms': { kind: 'number', help: 'run/test: wall clock of each run in milliseconds (default 30000)' },
  name: { kind: 'string', help: 'save: the new skill\'s name' },
  description: { kind: 'string', help: 'save: what the skill does' },
  param: { kind: 'list', help: 'save: NAME=LITERAL turns each occurrence of the literal (e.g. region=\'emea\') into input.NAME (repeatable)' },
  force: { kind: 'boolean', help: 'save: replace a skill of the same name' },
  tokens: { kind: 'boolean', help: 'list: connect the catalog and count the tool definitions a model receives with and without the skill tools' },
  ...APPROVAL_FLAGS,
};

function skillsDir(args: ParsedArgs, io: CliIo): string {
  return path.resolve(io.cwd, str(args, 'skills') ?? DEFAULT_SKILLS_DIR);
}

/** Without loading the catalog: would the CLI use the embedded demo (no --config/--catalog, no mcp.json)? */
function wouldUseDemo(args: ParsedArgs, io: CliIo): boolean {
  return !str(args, 'config') && !str(args, 'catalog') && !existsSync(path.join(io.cwd, '.vscode', 'mcp.json'));
}

async function load(args: ParsedArgs, io: CliIo, sandbox: Sandbox, embeddedDemo: boolean): Promise<SkillSet> {
  const set = await loadWorkspaceSkills({ cwd: io.cwd, dir: str(args, 'skills'), sandbox, embeddedDemo });
  for (const b of set.broken) io.err(`Warning: ${b.message}`);
  return set;
}

async function records(args: ParsedArgs, io: CliIo): Promise<SkillRecords> {
  const recs = createSkillRecords();
  const dir = path.resolve(io.cwd, str(args, 'trace-dir') ?? DEFAULT_TRACE_DIR);
  if (!existsSync(dir)) return recs;
  const store = createTraceStore({ dir });
  const { traces } = await store.list({ limit: 500 });
  for (const t of traces) {
    try {
      recs.record(await store.read(t.id));
    } catch {
      // a corrupt or vanished trace has no evidence to give
    }
  }
  return recs;
}

function find(set: SkillSet, name: string | undefined): Skill {
  if (!name) throw new UsageError('Name the skill.');
  const s = set.skills.find((x) => x.name === name);
  if (s) return s;
  const broken = set.broken.find((b) => path.basename(b.file).replace(/\.(ts|js)$/, '') === name);
  if (broken) throw new SkillError('skill_invalid', broken.message, { file: broken.file });
  const known = set.skills.map((x) => x.name).join(', ') || 'none';
  throw new SkillError('skill_not_found', `No skill named ${name} in ${set.dir} (known: ${known}).`);
}

function parseParams(values: string[]): SkillParam[] {
  return values.map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param wants NAME=LITERAL (e.g. region='emea'), not "${v}".`);
    return { name: v.slice(0, eq), literal: v.slice(eq + 1) };
  });
}

async function listCmd(args: ParsedArgs, io: CliIo, sandbox: Sandbox): Promise<number> {
  if (bool(args, 'tokens')) return tokensCmd(args, io, sandbox);
  const set = await load(args, io, sandbox, wouldUseDemo(args, io));
  const recs = await records(args, io);
  if (bool(args, 'json')) {
    io.out(JSON.stringify(set.skills.map((s) => ({ name: s.name, description: s.description, file: s.file, input: s.input, hash: s.hash, record: recs.get(s.name) ?? null }))));
    return EXIT.ok;
  }
  if (!set.skills.length) io.out(`No skills in ${set.dir}. Save a run as one: toolweaver skills save TRACE_ID --name NAME`);
  for (const s of set.skills) io.out(`${s.name}  ${s.description}\n    ${s.file} · ${s.hash} · ${describeRecord(recs.get(s.name))}`);
  return EXIT.ok;
}

/** The definition tokens a model receives: classic, code mode, code mode + skill tools, skill tools alone. */
async function tokensCmd(args: ParsedArgs, io: CliIo, sandbox: Sandbox): Promise<number> {
  const tokenizer = await loadDefaultTokenizer();
  return withCatalog(args, io, sandbox, async ({ loaded, set }) => {
    const t = skillDefinitionTokens(loaded.catalog, set.skills, tokenizer);
    const tools = loaded.catalog.servers.reduce((n, s) => n + s.tools.length, 0);
    if (bool(args, 'json')) {
      io.out(JSON.stringify({ tokenizer: tokenizer.name, tools, skills: set.skills.map((s) => s.name), ...t }));
      return EXIT.ok;
    }
    const n = (x: number) => x.toLocaleString('en-US');
    io.out(`Tool definitions a model receives (${tokenizer.name}):`);
    const rows: Array<[string, number]> = [
      [`classic: the catalog's ${tools} tools`, t.classic],
      ['toolweaver mcp, code-mode tools only (--no-skills)', t.codeMode],
      [`toolweaver mcp with ${set.skills.length} skill tool(s)`, t.codeModeWithSkills],
      ['the skill tool(s) alone', t.skillsOnly],
    ];
    for (const [label, v] of rows) io.out(`  ${label.padEnd(52)} ${n(v).padStart(7)}`);
    return EXIT.ok;
  });
}

async function showCmd(args: ParsedArgs, io: CliIo, sandbox: Sandbox): Promise<number> {
  const set = await load(args, io, sandbox, wouldUseDemo(args, io));
  const s = find(set, args.positionals[1]);
  const rec = (await records(args, io)).get(s.name);
  io.out(`${s.name} — ${s.description}\nfile: ${s.file}\nversion: ${s.hash}${s.fromTrace ? `\nsaved from trace: ${s.fromTrace}` : ''}\nrecord: ${describeRecord(rec)}\ninput: ${JSON.stringify(s.input, null, 2)}${s.output ? `\noutput: ${JSON.stringify(s.output, null, 2)}` : ''}\nexamples: ${s.examples.length}\n\n${s.source}`);
  return EXIT.ok;
}

/** Connects the catalog, loads the skills (with the demo's when the catalog is the demo) and hands both over. */
async function withCatalog(args: ParsedArgs, io: CliIo, sandbox: Sandbox, body: (ctx: { loaded: Awaited<ReturnType<typeof loadCatalogFromArgs>>; set: SkillSet }) => Promise<number>): Promise<number> {
  const loaded = await loadCatalogFromArgs(args, io);
  try {
    for (const line of describeFailures(loaded.catalog)) io.err(`Warning: ${line}`);
    const set = await load(args, io, sandbox, loaded.origin === 'demo');
    return await body({ loaded, set });
  } finally {
    await loaded.close();
  }
}

function parseInput(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--input must be JSON, e.g. --input '{"region":"emea"}'; got ${text}.`);
  }
}

async function runCmd(args: ParsedArgs, io: CliIo, sandbox: Sandbox): Promise<number> {
  const name = args.positionals[1];
  const input = parseInput(str(args, 'input'));
  const { policy } = await approvalPolicyFromArgs(args, io);
  const abort = new AbortController();
  const off = onShutdown(() => abort.abort());
  try {
    return await withCatalog(args, io, sandbox, async ({ loaded, set }) => {
      const skill = find(set, name);
      const traceDir = str(args, 'trace-dir');
      const { result: real, trace, traceFile, model } = await executeRun({
        source: skillCallScript(skill.name, input),
        catalog: loaded.catalog,
        invoker: loaded.invoker,
        approvals: { policy, whyNoBroker: 'toolweaver skills run cannot ask anyone (it is non-interactive)' },
        secrets: loaded.secrets,
        sandbox,
        limits: limitsFromArgs(args),
        signal: abort.signal,
        cwd: io.cwd,
        traceDir: traceDir === undefined ? undefined : path.resolve(io.cwd, traceDir),
        origin: 'cli',
        firewall: createPrivacyVault({ categories: parseFirewallCategories([], false) }),
        skills: set.skills,
      });
      const result = model?.result ?? real;
      const json = bool(args, 'json');
      const extra = json
        ? { traceId: trace.id, traceFile, tokens: trace.tokens, skill: { name: skill.name, hash: skill.hash }, ...(trace.approvals ? { approvals: trace.approvals } : {}) }
        : { trace: trace.id, file: traceFile, skill: `${skill.name}@${skill.hash}` };
      printRunReport({ result, extra }, io, json);
      if (!json && trace.tokens) io.err(formatTokenAccount(trace.tokens));
      return result.ok ? EXIT.ok : EXIT.scriptFailed;
    });
  } finally {
    off();
  }
}

async function testCmd(args: ParsedArgs, io: CliIo, sandbox: Sandbox): Promise<number> {
  const only = args.positionals[1];
  const { policy } = await approvalPolicyFromArgs(args, io);
  return withCatalog(args, io, sandbox, async ({ loaded, set }) => {
    const chosen = only ? [find(set, only)] : set.skills;
    const results: Array<{ name: string; example: number; ok: boolean; message?: string }> = [];
    for (const s of chosen) {
      for (let i = 0; i < s.examples.length; i++) {
        const traceDir = str(args, 'trace-dir');
        // Recorded like any run (origin 'skills-test'): the records read the last test of each skill from it.
        const { result: r } = await executeRun({
          source: `return await __twSkillExample(${JSON.stringify(s.name)}, ${i});`,
          language: 'js',
          catalog: loaded.catalog,
          invoker: loaded.invoker,
          approvals: { policy, whyNoBroker: 'toolweaver skills test cannot ask anyone (it is non-interactive)' },
          secrets: loaded.secrets,
          sandbox,
          limits: limitsFromArgs(args),
          cwd: io.cwd,
          traceDir: traceDir === undefined ? undefined : path.resolve(io.cwd, traceDir),
          origin: SKILLS_TEST_ORIGIN,
          skills: set.skills,
          skillExamples: true,
        });
        results.push(r.ok ? { name: s.name, example: i + 1, ok: true } : { name: s.name, example: i + 1, ok: false, message: r.error.message });
      }
    }
    const failed = results.filter((r) => !r.ok);
    if (bool(args, 'json')) io.out(JSON.stringify({ ok: failed.length === 0, results }));
    else {
      for (const r of results) io.out(`${r.ok ? 'pass' : 'FAIL'}  ${r.name} example ${r.example}${r.message ? `: ${r.message}` : ''}`);
      const none = chosen.filter((s) => !s.examples.length).map((s) => s.name);
      if (none.length) io.err(`No examples: ${none.join(', ')}`);
      io.out(`${results.length - failed.length} of ${results.length} example(s) passed`);
    }
    return failed.length ? EXIT.scriptFailed : EXIT.ok;
  });
}

async function saveCmd(args: ParsedArgs, io: CliIo): Promise<number> {
  const traceId = args.positionals[1];
  if (!traceId) throw new UsageError('Name the trace to save: toolweaver skills save TRACE_ID --name NAME.');
  const name = str(args, 'name');
  if (!name) throw new UsageError('Missing --name NAME: the new skill\'s name.');
  const dir = path.resolve(io.cwd, str(args, 'trace-dir') ?? DEFAULT_TRACE_DIR);
  const trace = await createTraceStore({ dir }).read(traceId);
  const text = skillFromTrace(trace, { name, description: str(args, 'description'), params: parseParams(list(args, 'param')) });
  const file = await writeSkillFile(skillsDir(args, io), name, text, bool(args, 'force'));
  if (bool(args, 'json')) io.out(JSON.stringify({ ok: true, name, file, fromTrace: trace.id }));
  else io.out(`Saved ${name} → ${file}\nCall it as skills.${name}(…) in a script, or: toolweaver skills run ${name} --input '{…}'`);
  return EXIT.ok;
}

export const skillsCommand: CliCommand = {
  name: 'skills',
  summary: 'List, show, run, test and save skills (saved, typed workflows in .toolweaver/skills)',
  usage:
    'toolweaver skills list [--json] | show NAME | run NAME [--input JSON] [--json] | test [NAME] [--json] | save TRACE_ID --name NAME [--param NAME=LITERAL ...] [--description TEXT] [--force]  [--skills DIR] [--config FILE | --catalog FILE]',
  flags,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub === 'save') return saveCmd(args, io);
    if (!['list', 'show', 'run', 'test'].includes(sub ?? '')) throw new UsageError(sub ? `Unknown skills subcommand "${sub}" (list, show, run, test, save).` : 'Name a subcommand: list, show, run, test or save.');
    const sandbox = createSandbox({ poolSize: 1 });
    try {
      if (sub === 'list') return await listCmd(args, io, sandbox);
      if (sub === 'show') return await showCmd(args, io, sandbox);
      if (sub === 'run') return await runCmd(args, io, sandbox);
      return await testCmd(args, io, sandbox);
    } finally {
      await sandbox.dispose();
    }
  },
};
