// A scripts tsconfig written before skills existed includes only tools.d.ts and is never rewritten:
// tools.d.ts references skills.d.ts, so `tsc -p` over that old tsconfig still knows `skills.*`
// (checked with the real TypeScript compiler on a temp folder).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { ensureSkillsDeclarationFile, SKILLS_DECLARATIONS_PATH, skillsDeclarationText } from '../../../src/core/skills/declarations';
import { scriptTsconfigOptions } from '../../../src/core/stubs/scriptCompilerOptions';
import { writeStubs } from '../../../src/core/stubs/writeStubs';

const catalog: Catalog = {
  id: 'c1',
  servers: [{ name: 'crm', ident: 'crm', source: 'mcp', status: { state: 'connected' }, tools: [{ name: 'find', ident: 'find', description: 'Find.', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }] }],
};
const WEEKLY = { name: 'weekly', description: 'The weekly report.', file: '/w/.toolweaver/skills/weekly.ts', input: { type: 'object', properties: { week: { type: 'number' } }, required: ['week'] }, output: { type: 'object', properties: { total: { type: 'number' } } } };

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tw-skillsref-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The errors `tsc -p scripts/tsconfig.json` reports, as "file: message". */
function tscErrors(): string[] {
  const configFile = path.join(root, 'scripts', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
  if (!parsed) throw new Error('no tsconfig');
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : '-'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

async function setUp(references: readonly string[]): Promise<void> {
  const stubs = path.join(root, 'stubs');
  await writeStubs(catalog, stubs, { references });
  await ensureSkillsDeclarationFile(stubs);
  mkdirSync(path.join(root, 'scripts'));
  // The scripts tsconfig as ToolWeaver wrote it before skills.d.ts existed.
  writeFileSync(path.join(root, 'scripts', 'tsconfig.json'), JSON.stringify({ compilerOptions: scriptTsconfigOptions(), include: ['./**/*.ts', './**/*.js', '../stubs/tools.d.ts'] }));
  writeFileSync(path.join(root, 'scripts', 'a.tw.ts'), 'const r = await skills.weekly({ week: 3 });\nconst n: number | undefined = r.total;\nawait tools.crm.find({ q: "x" });\nexport {};\n');
}

describe('tools.d.ts references skills.d.ts', () => {
  it('an old scripts tsconfig sees the skills, and a wrong input is a type error', async () => {
    await setUp([SKILLS_DECLARATIONS_PATH]);
    const toolsDts = readFileSync(path.join(root, 'stubs', 'tools.d.ts'), 'utf8');
    expect(toolsDts.split('\n')[1]).toBe('/// <reference path="./skills.d.ts" />');
    // Before any skill is loaded: the empty skills.d.ts resolves the reference, and `skills` has no members.
    expect(tscErrors()).toEqual(["a.tw.ts: Property 'weekly' does not exist on type '{}'."]);
    writeFileSync(path.join(root, 'stubs', SKILLS_DECLARATIONS_PATH), skillsDeclarationText([WEEKLY]));
    expect(tscErrors()).toEqual([]);
    writeFileSync(path.join(root, 'scripts', 'a.tw.ts'), "await skills.weekly({ week: 'three' });\nexport {};\n");
    expect(tscErrors()).toEqual(["a.tw.ts: Type 'string' is not assignable to type 'number'."]);
  });

  it('without the reference the same tsconfig does not know skills (the bug this fixes)', async () => {
    await setUp([]);
    writeFileSync(path.join(root, 'stubs', SKILLS_DECLARATIONS_PATH), skillsDeclarationText([WEEKLY]));
    expect(tscErrors()).toEqual(["a.tw.ts: Cannot find name 'skills'."]);
  });

  it('leaves an existing skills.d.ts alone and keeps a rerun of writeStubs unchanged', async () => {
    await setUp([SKILLS_DECLARATIONS_PATH]);
    const file = path.join(root, 'stubs', SKILLS_DECLARATIONS_PATH);
    writeFileSync(file, skillsDeclarationText([WEEKLY]));
    await ensureSkillsDeclarationFile(path.join(root, 'stubs'));
    expect(readFileSync(file, 'utf8')).toContain('weekly(input');
    const again = await writeStubs(catalog, path.join(root, 'stubs'), { references: [SKILLS_DECLARATIONS_PATH] });
    expect(again.written).toEqual([]);
    expect(again.deleted).toEqual([]);
  });
});
