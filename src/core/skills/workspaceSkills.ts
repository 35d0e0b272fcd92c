// The skills a workspace sees: its skills folder, plus the embedded demo's `account_review` when the
// catalog is the embedded demo (so a fresh clone has one to list, run and call). Invariant: a folder
// skill of the same name wins over the demo's.
import path from 'node:path';
import { DEMO_SKILL, DEMO_SKILL_FILE } from '../demo/demoSkill';
import type { Sandbox } from '../sandbox/sandbox';
import { DEFAULT_SKILLS_DIR, loadSkills, type SkillSet } from './skillSet';

export interface WorkspaceSkillsOptions {
  cwd: string;
  /** The skills folder (relative to cwd); default DEFAULT_SKILLS_DIR. */
  dir?: string;
  sandbox: Sandbox;
  /** The catalog is the embedded demo: add its skill. */
  embeddedDemo: boolean;
}

/** Loads the workspace's skills (see loadSkills: broken files are listed, never thrown). */
export function loadWorkspaceSkills(opts: WorkspaceSkillsOptions): Promise<SkillSet> {
  return loadSkills({
    dir: path.resolve(opts.cwd, opts.dir ?? DEFAULT_SKILLS_DIR),
    sandbox: opts.sandbox,
    extra: opts.embeddedDemo ? [{ file: DEMO_SKILL_FILE, text: DEMO_SKILL }] : [],
  });
}
