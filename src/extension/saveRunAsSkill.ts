// "Save Run as Skill…": a recorded run becomes `.toolweaver/skills/<name>.ts`. The person names the skill and
// picks which of the script's literals become input fields (named by them, with the key before each
// literal proposed, or the chat model's proposal pre-picked); none picked = the skill takes {}.
// The writing is core's (skills/saveSkill.ts).
import * as vscode from 'vscode';
import type { ProposedParam } from '../core/skills/proposeParams';
import { describeCause, SkillError } from '../core/errors';
import { skillFromTrace, writeSkillFile, type SkillParam } from '../core/skills/saveSkill';
import { scriptLiterals } from '../core/skills/scriptLiterals';
import type { TraceStore } from '../core/trace/store';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SaveRunAsSkillDeps {
  store: TraceStore;
  /** The skills folder (absolute). */
  dir: string;
  /** Answers instead of prompts (tests): the name and the literal → field name map. */
  answers?: { name: string; params?: readonly SkillParam[] };
  /** The chat model's proposal: its name is the default and its literals are pre-picked (the person confirms). */
  proposal?: { name?: string; proposed: readonly ProposedParam[] };
}

/** Asks, writes the skill file and opens it; returns its path, or undefined when cancelled. */
export async function saveRunAsSkill(traceId: string, deps: SaveRunAsSkillDeps): Promise<string | undefined> {
  const trace = await deps.store.read(traceId);
  const source = trace.script.source ?? '';
  let name = deps.answers?.name;
  let params = deps.answers?.params;
  if (name === undefined) {
    const base = (trace.script.path?.split(/[\\/]/).pop() ?? 'saved_run').replace(/\.tw\.(ts|js)$|\.(ts|js)$/, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(\d)/, '_$1');
    name = await vscode.window.showInputBox({
      title: 'Save Run as Skill (1/2): name',
      prompt: 'The skill\'s name: scripts call it as skills.<name>(input), MCP clients as skill_<name>.',
      value: deps.proposal?.name ?? base,
      validateInput: (v) => (IDENT.test(v) ? undefined : 'Letters, digits and _, not starting with a digit.'),
    });
    if (!name) return undefined;
  }
  if (params === undefined) {
    const proposed = new Map((deps.proposal?.proposed ?? []).map((p) => [p.literal, p]));
    const literals = scriptLiterals(source).map((l) => ({ ...l, suggested: proposed.get(l.text)?.name ?? l.suggested }));
    const picked = literals.length
      ? await vscode.window.showQuickPick(
          literals.map((l) => {
            const p = proposed.get(l.text);
            return { label: l.text, description: `line ${l.line} · as input.${l.suggested}${p ? ` · proposed by the model${p.reason ? `: ${p.reason}` : ''}` : ''}`, picked: p !== undefined, literal: l };
          }),
          { title: 'Save Run as Skill (2/2): parameters', placeHolder: deps.proposal ? 'The model\'s proposal is picked: confirm or change it (none: the skill takes {})' : 'Pick the literals that become input fields (none: the skill takes {})', canPickMany: true },
        )
      : [];
    if (picked === undefined) return undefined;
    const chosen: SkillParam[] = [];
    for (const p of picked) {
      const field = await vscode.window.showInputBox({
        title: `Field name for ${p.literal.text}`,
        value: p.literal.suggested,
        validateInput: (v) => (IDENT.test(v) && !chosen.some((c) => c.name === v) ? undefined : 'A new identifier: letters, digits and _.'),
      });
      if (!field) return undefined;
      chosen.push({ name: field, literal: p.literal.text });
    }
    params = chosen;
  }
  try {
    const text = skillFromTrace(trace, { name, params });
    const file = await writeSkillFile(deps.dir, name, text);
    if (!deps.answers) await vscode.window.showTextDocument(vscode.Uri.file(file));
    void vscode.window.showInformationMessage(`Saved the run as the skill ${name}. Scripts call it as skills.${name}(…); review the file before you commit it.`);
    return file;
  } catch (err) {
    const message = SkillError.is(err) ? err.message : `ToolWeaver could not save the run as a skill: ${describeCause(err)}`;
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
}
