// `@toolweaver /skill [name]`: the chat model proposes which literals of the conversation's last run
// become the skill's input fields; the proposal is shown with a button that opens Save Run as Skill…
// with it pre-picked, so the person confirms or changes it. Pure (tested in vitest, no vscode import).
import { z } from 'zod';
import type { LanguageModel } from '../../core/llm/languageModel';
import { proposeSkillParams, type ProposedParam } from '../../core/skills/proposeParams';
import type { Trace } from '../../core/trace/schema';
import { describeCause } from '../../core/errors';

/** What the Save Run as Skill… button carries (validated again by the command: SaveRunAsSkillArgSchema). */
export interface SkillProposalArgs {
  traceId: string;
  name?: string;
  proposed: ProposedParam[];
}

export interface SkillTurnSink {
  markdown(text: string): void;
  progress(text: string): void;
  /** A button that runs toolweaver.saveRunAsSkill with the proposal. */
  saveButton(args: SkillProposalArgs): void;
}

export interface SkillTurnDeps {
  model: LanguageModel;
  /** The trace id of the conversation's last run, when there is one. */
  lastTraceId: string | undefined;
  /** The request that produced that run (context for the model). */
  lastTask?: string;
  readTrace(id: string): Promise<Trace>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ParamSchema = z.object({ name: z.string().regex(IDENT), literal: z.string().min(1) });
/** toolweaver.saveRunAsSkill's second argument: answers (tests skip the prompts) or a chat proposal (@toolweaver /skill). */
export const SaveRunAsSkillArgSchema = z.union([
  z.object({ name: z.string().regex(IDENT), params: z.array(ParamSchema).optional() }),
  z.object({
    proposal: z.object({
      name: z.string().regex(IDENT).optional(),
      proposed: z.array(ParamSchema.extend({ type: z.enum(['string', 'number', 'boolean']), reason: z.string().optional() })),
    }),
  }),
]);

/** Runs the /skill turn; never throws. Returns the proposal it showed, or undefined when there was none to make. */
export async function runSkillTurn(deps: SkillTurnDeps, opts: { prompt: string; signal: AbortSignal }, sink: SkillTurnSink): Promise<SkillProposalArgs | undefined> {
  if (!deps.lastTraceId) {
    sink.markdown('There is no run in this chat to save yet: ask @toolweaver for a task first, then `/skill` saves its script as a skill.');
    return undefined;
  }
  let trace: Trace;
  try {
    trace = await deps.readTrace(deps.lastTraceId);
  } catch (err) {
    sink.markdown(`ToolWeaver could not read the trace ${deps.lastTraceId} of the last run: ${describeCause(err)}`);
    return undefined;
  }
  if (trace.status !== 'ok' || trace.script.source === undefined) {
    sink.markdown(`The last run (${trace.id}) ${trace.status !== 'ok' ? 'did not succeed' : 'has no recorded script'}, so it is not saved as a skill. Ask again until a run succeeds.`);
    return undefined;
  }
  const requested = opts.prompt.trim().split(/\s+/)[0] ?? '';
  const name = IDENT.test(requested) ? requested : undefined;
  sink.progress('Asking the model which literals become inputs…');
  const proposal = await proposeSkillParams({ model: deps.model, source: trace.script.source, signal: opts.signal, task: deps.lastTask });
  const lines: string[] = [];
  if (proposal.params.length) {
    lines.push(`The model proposes these input fields for the skill${name ? ` **${name}**` : ''}:`, '');
    for (const p of proposal.params) lines.push(`- \`${p.name}: ${p.type}\` — was \`${p.literal}\`${p.reason ? ` (${p.reason})` : ''}`);
  } else {
    lines.push(proposal.fallback ?? 'The model proposes no input fields: the skill would take `{}`.');
  }
  if (proposal.dropped.length) lines.push('', `Left out: ${proposal.dropped.join(' ')}`);
  lines.push('', 'Save Run as Skill… shows them pre-picked: confirm, change or add fields before the file is written.');
  sink.markdown(lines.join('\n'));
  const args: SkillProposalArgs = { traceId: trace.id, ...(name ? { name } : {}), proposed: proposal.params };
  sink.saveButton(args);
  return args;
}
