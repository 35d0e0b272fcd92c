// FLOW_DECLARATIONS compiles with a script that uses every helper (zero diagnostics, inferred types
// checked), and its globals are exactly the runtime helpers' names.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { FLOW_DECLARATIONS, FLOW_HELPER_NAMES } from '../../../src/core/flow/declarations';
import { createFlowHelpers } from '../../../src/core/flow/helpers';
import { createTestRuntime } from './testRuntime';

const SAMPLE = `
declare const tools: {
  web: { fetch(a: { url: string }): Promise<{ status: number; body: string }> };
  ci: { job(a: { id: string }): Promise<{ status: 'queued' | 'running' | 'done' }> };
};
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function expectType<A, B>(_proof: Equal<A, B>): void {}

async function main() {
  const page = await retry((attempt) => tools.web.fetch({ url: 'u' + attempt }), {
    attempts: 5, backoff: 'linear', baseMs: 100, maxMs: 1000, jitter: 0.2,
    retryOn: (err, attempt) => err.code !== 'denied' && attempt < 4,
  });
  expectType<typeof page, { status: number; body: string }>(true);

  const lengths = await map(['a', 'bb'], async (s, i) => s.length + i, { concurrency: 2 });
  expectType<typeof lengths, number[]>(true);
  const settled = await map([1, 2], (n) => n * 2, { settle: true });
  for (const s of settled) if (s.ok) expectType<typeof s.value, number>(true); else void s.error.code;

  const [n, str] = await parallel([() => Promise.resolve(1), () => 'x']);
  expectType<typeof n, number>(true);
  expectType<typeof str, string>(true);
  const ps = await parallel([() => 1], { settle: true, concurrency: 1 });
  void ps[0].ok;

  const t1 = await timeout(() => tools.web.fetch({ url: 'a' }), 500);
  const t2 = await timeout(Promise.resolve(3), 500);
  expectType<typeof t1.status, number>(true);
  expectType<typeof t2, number>(true);

  await sleep(10);

  const job = await poll((attempt) => tools.ci.job({ id: String(attempt) }), {
    until: (j) => j.status === 'done', intervalMs: 100, timeoutMs: 1000,
  });
  expectType<typeof job.status, 'queued' | 'running' | 'done'>(true);

  const fb = await fallback(() => Promise.reject(new Error('x')), () => 'backup');
  expectType<typeof fb, string>(true);
  const fast = await race(() => tools.web.fetch({ url: 'a' }), tools.web.fetch({ url: 'b' }));
  expectType<typeof fast.body, string>(true);

  const sums = await batch([1, 2, 3, 4, 5], 2, (chunk, i) => chunk.reduce((a, b) => a + b, i), { concurrency: 2 });
  expectType<typeof sums, number[]>(true);

  const r = await dag({
    user: () => ({ login: 'me' }),
    repos: { deps: ['user'], run: ({ user }) => tools.web.fetch({ url: user.login }) },
    count: { deps: ['repos'], run: async ({ repos }) => (repos as { body: string }).body.length },
  }, { concurrency: 4 });
  expectType<typeof r.user, { login: string }>(true);
  expectType<typeof r.count, number>(true);

  const out = await pipe({ url: 'x' }, (a) => tools.web.fetch(a), (res) => res.body, (b) => b.length);
  expectType<typeof out, number>(true);
  const same = await pipe(Promise.resolve('s'));
  expectType<typeof same, string>(true);

  try { await timeout(sleep(5), 1); } catch (e) { if ((e as FlowError).code === 'timeout') return 0; }
  return 1;
}
void main;
`;

/** Parsed lib files, shared by every compile in this file (parsing them dominates the cost). */
const libCache = new Map<string, ts.SourceFile | undefined>();

function diagnose(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => files[f] ?? read(f);
  host.fileExists = ((exists) => (f: string) => f in files || exists(f))(host.fileExists.bind(host));
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) => {
    if (f in files) return ts.createSourceFile(f, files[f] as string, lang);
    if (!libCache.has(f)) libCache.set(f, getSource(f, lang, ...rest));
    return libCache.get(f);
  };
  const program = ts.createProgram(Object.keys(files), options, host);
  // Only our files are checked (checking lib.*.d.ts again and again is what makes this slow).
  const ours = Object.keys(files).map((f) => program.getSourceFile(f) as ts.SourceFile);
  return [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
  ].map((d) => `${d.file?.fileName ?? ''}:${d.start ?? ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('FLOW_DECLARATIONS', () => {
  it('compiles together with a script using every helper, with zero diagnostics', () => {
    expect(diagnose({ '/v/tools.d.ts': FLOW_DECLARATIONS, '/v/script.ts': SAMPLE })).toEqual([]);
  });

  it('rejects misuse (the check can fail)', () => {
    const bad = `void retry(() => 1, { attempts: 'three' }); void dag({ a: { deps: ['b'] } });`;
    const diags = diagnose({ '/v/tools.d.ts': FLOW_DECLARATIONS, '/v/bad.ts': bad });
    expect(diags.length).toBe(2);
  });

  it('declares exactly the runtime helpers', () => {
    const helpers = createFlowHelpers(createTestRuntime());
    expect(Object.keys(helpers).sort()).toEqual([...FLOW_HELPER_NAMES].sort());
    const declared = [...FLOW_DECLARATIONS.matchAll(/^declare function (\w+)/gm)].map((m) => m[1]);
    expect([...new Set(declared)].sort()).toEqual([...FLOW_HELPER_NAMES].sort());
    for (const name of FLOW_HELPER_NAMES) {
      expect(FLOW_DECLARATIONS).toMatch(new RegExp(`@example[\\s\\S]*?\\n \\*/\\ndeclare function ${name}\\b`));
    }
  });
});
