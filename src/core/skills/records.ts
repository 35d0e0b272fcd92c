// Each skill's record from the traces: runs, success rate, median duration, tokens saved, the versions
// (content hashes) that ran. Invariant: only finished 'skill' spans count; a run's token saving is
// credited to the skill that was its whole top level (the run was one skill call), never split.
import type { Trace } from '../trace/schema';

/** One skill's evidence. */
export interface SkillRecord {
  runs: number;
  ok: number;
  /** ok / runs (0 without runs). */
  successRate: number;
  medianMs?: number;
  /** Tokens code mode saved in runs that were this one skill call (sum of `tokens.savings.total`). */
  tokensSaved: number;
  /** Content hashes that ran, newest first. */
  versions: string[];
  /** Epoch ms of the newest run. */
  lastAt?: number;
  /** The newest `skills test` run of this skill failed: its error message. */
  failingExample?: string;
}

/** The origin of the runs `toolweaver skills test` makes (their traces hold each example's verdict). */
export const SKILLS_TEST_ORIGIN = 'skills-test';

export interface SkillRecords {
  record(trace: Trace): void;
  get(name: string): SkillRecord | undefined;
  /** All names with a record. */
  names(): string[];
}

function median(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

/** Collects records over traces (call `record` per finished trace, in any order). */
export function createSkillRecords(): SkillRecords {
  const acc = new Map<string, { runs: number; ok: number; ms: number[]; saved: number; versions: Map<string, number>; lastAt?: number }>();
  const tests = new Map<string, { at: number; failure?: string }>();
  const seen = new Set<string>();
  return {
    record(trace) {
      if (seen.has(trace.id) || trace.status === 'running') return;
      seen.add(trace.id);
      const skills = trace.spans.filter((s) => s.kind === 'helper' && s.helper === 'skill' && s.endMs !== undefined);
      const top = trace.spans.filter((s) => s.parentId === undefined);
      const first = top[0];
      if (trace.origin === SKILLS_TEST_ORIGIN && first?.kind === 'helper' && first.helper === 'skill') {
        const name = String(first.attrs['name'] ?? '');
        const prev = tests.get(name);
        if (!prev || prev.at <= trace.startedAtMs) tests.set(name, { at: trace.startedAtMs, ...(trace.status === 'ok' ? {} : { failure: trace.error?.message ?? trace.status }) });
      }
      for (const s of skills) {
        if (s.kind !== 'helper') continue;
        const name = String(s.attrs['name'] ?? '');
        if (!name) continue;
        const a = acc.get(name) ?? { runs: 0, ok: 0, ms: [], saved: 0, versions: new Map<string, number>() };
        a.runs++;
        if (s.status === 'ok') a.ok++;
        a.ms.push((s.endMs ?? s.startMs) - s.startMs);
        const at = trace.startedAtMs + s.startMs;
        const hash = typeof s.attrs['hash'] === 'string' ? s.attrs['hash'] : undefined;
        if (hash) a.versions.set(hash, Math.max(a.versions.get(hash) ?? 0, at));
        a.lastAt = Math.max(a.lastAt ?? 0, at);
        if (top.length === 1 && top[0] === s && trace.tokens?.savings) a.saved += trace.tokens.savings.total;
        acc.set(name, a);
      }
    },
    get(name) {
      const a = acc.get(name);
      if (!a) return undefined;
      return {
        runs: a.runs,
        ok: a.ok,
        successRate: a.runs ? a.ok / a.runs : 0,
        ...(a.ms.length ? { medianMs: median(a.ms) } : {}),
        tokensSaved: a.saved,
        versions: [...a.versions.entries()].sort((x, y) => y[1] - x[1]).map(([h]) => h),
        ...(a.lastAt !== undefined ? { lastAt: a.lastAt } : {}),
        ...(tests.get(name)?.failure ? { failingExample: tests.get(name)?.failure } : {}),
      };
    },
    names: () => [...acc.keys()],
  };
}

/** "12 runs · 92 % ok · median 140 ms · 8.1k tokens saved". */
export function describeRecord(r: SkillRecord | undefined): string {
  if (!r || !r.runs) return 'no runs yet';
  const ms = r.medianMs === undefined ? '' : ` · median ${r.medianMs < 1000 ? `${Math.round(r.medianMs)} ms` : `${(r.medianMs / 1000).toFixed(1)} s`}`;
  const saved = r.tokensSaved ? ` · ${r.tokensSaved >= 1000 ? `${(r.tokensSaved / 1000).toFixed(1)}k` : r.tokensSaved} tokens saved` : '';
  const failing = r.failingExample ? ' · example failing' : '';
  return `${r.runs} run${r.runs === 1 ? '' : 's'} · ${Math.round(r.successRate * 100)} % ok${ms}${saved}${failing}`;
}
