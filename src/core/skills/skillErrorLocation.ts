// Where inside a skill a failed run's error was thrown: the guest runtime renames a failing skill's
// frames to its file and line (guestRuntime.ts, locate), and this finds the innermost such frame.
// Invariant: `line`/`column` of the error stay the script's; the skill's place is `error.skill`.
import type { RunError } from '../sandbox/types';
import type { Skill } from './skillSet';

/** The skill file and line an error was thrown at (RunError.skill, TraceError.skill). */
export interface SkillErrorLocation {
  name: string;
  file: string;
  line: number;
  column?: number;
}

/** The first stack frame in one of `skills`' files, or undefined. */
export function skillFrame(stack: string | undefined, skills: ReadonlyArray<Pick<Skill, 'name' | 'file'>>): SkillErrorLocation | undefined {
  if (!stack) return undefined;
  for (const frame of stack.split('\n')) {
    for (const s of skills) {
      const at = frame.lastIndexOf(`${s.file}:`);
      if (at < 0) continue;
      const m = /^(\d+)(?::(\d+))?/.exec(frame.slice(at + s.file.length + 1));
      if (m) return { name: s.name, file: s.file, line: Number(m[1]), ...(m[2] !== undefined ? { column: Number(m[2]) } : {}) };
    }
  }
  return undefined;
}

/** The error with `skill` set when it was thrown inside a skill, and the skills runtime's own frames dropped. */
export function locateSkillError(error: RunError, skills: ReadonlyArray<Pick<Skill, 'name' | 'file'>>): RunError {
  const at = skillFrame(error.stack, skills);
  if (!at) return error;
  const stack = error.stack
    ?.split('\n')
    .filter((l) => !/\(skills\.js:\d+/.test(l))
    .join('\n');
  return { ...error, skill: at, ...(stack ? { stack } : {}) };
}
