// A tiny mocha-like test runner shared by the extension-host suite and the UI suite: tests register
// with `suite`/`test`, `runRegistered()` runs them in order, reports each one, and ends with the
// line `N passed, N failed` (run.mjs and CI logs rely on that line). No dependency on vscode.

/** A test body; may be async. Receives an AbortSignal that fires at its timeout. */
export type TestFn = (signal: AbortSignal) => unknown;

interface Test { name: string; fn: TestFn; timeoutMs?: number; only: boolean; skip: boolean }
interface Hook { fn: TestFn; timeoutMs?: number }
interface Suite { name: string; tests: Test[]; before: Hook[]; after: Hook[]; beforeEach: Hook[]; afterEach: Hook[] }

/** Default per-test timeout; override per test or with TOOLWEAVER_E2E_TEST_TIMEOUT_MS. */
export const DEFAULT_TEST_TIMEOUT_MS = Number(process.env.TOOLWEAVER_E2E_TEST_TIMEOUT_MS ?? 60_000);

const root: Suite = newSuite('');
const suites: Suite[] = [root];
let current: Suite = root;

function newSuite(name: string): Suite {
  return { name, tests: [], before: [], after: [], beforeEach: [], afterEach: [] };
}

/** Groups tests; hooks declared inside apply to this suite only. Suites do not nest. */
export function suite(name: string, body: () => void): void {
  const s = newSuite(name);
  suites.push(s);
  const prev = current;
  current = s;
  try {
    body();
  } finally {
    current = prev;
  }
}

/** Registers a test. `opts.timeoutMs` overrides the default timeout. */
export function test(name: string, fn: TestFn, opts: { timeoutMs?: number } = {}): void {
  current.tests.push({ name, fn, timeoutMs: opts.timeoutMs, only: false, skip: false });
}
/** Runs only tests marked `only` (in every suite) — for local debugging; never commit it. */
test.only = (name: string, fn: TestFn, opts: { timeoutMs?: number } = {}): void => {
  current.tests.push({ name, fn, timeoutMs: opts.timeoutMs, only: true, skip: false });
};
/** Registers a test that is reported as skipped. */
test.skip = (name: string, fn: TestFn, opts: { timeoutMs?: number } = {}): void => {
  current.tests.push({ name, fn, timeoutMs: opts.timeoutMs, only: false, skip: true });
};

/** A hook's timeout: ms, or `{ timeoutMs }` like `test`'s options. */
export type HookTimeout = number | { timeoutMs?: number };
const hook = (fn: TestFn, t?: HookTimeout): Hook => ({ fn, timeoutMs: typeof t === 'number' ? t : t?.timeoutMs });

/** Runs once before the first test of the current suite. */
export const before = (fn: TestFn, timeout?: HookTimeout): void => void current.before.push(hook(fn, timeout));
/** Runs once after the last test of the current suite (also after failures). */
export const after = (fn: TestFn, timeout?: HookTimeout): void => void current.after.push(hook(fn, timeout));
/** Runs before each test of the current suite. */
export const beforeEach = (fn: TestFn, timeout?: HookTimeout): void => void current.beforeEach.push(hook(fn, timeout));
/** Runs after each test of the current suite (also after a failure). */
export const afterEach = (fn: TestFn, timeout?: HookTimeout): void => void current.afterEach.push(hook(fn, timeout));

async function withTimeout(fn: TestFn, timeoutMs: number, what: string): Promise<void> {
  const ac = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort();
      reject(new Error(`${what} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => fn(ac.signal)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return (e.stack ?? `${e.name}: ${e.message}`).split('\n').slice(0, 12).join('\n');
  return String(e);
}

/** The outcome of a run; `failures` holds "suite › test: message" lines. */
export interface RunSummary { passed: number; failed: number; skipped: number; failures: string[]; ms: number }

/**
 * Runs every registered test in registration order and prints a report through `print`
 * (console.log by default). Env `TOOLWEAVER_E2E_GREP` keeps only tests whose "suite › test"
 * name contains it. Never throws; the caller decides what a failure means.
 */
export async function runRegistered(print: (line: string) => void = console.log): Promise<RunSummary> {
  const grep = process.env.TOOLWEAVER_E2E_GREP;
  const anyOnly = suites.some((s) => s.tests.some((t) => t.only));
  const sum: RunSummary = { passed: 0, failed: 0, skipped: 0, failures: [], ms: 0 };
  const t0 = Date.now();
  const fail = (label: string, e: unknown, shown = label) => {
    sum.failed++;
    sum.failures.push(`${label}: ${e instanceof Error ? e.message : String(e)}`);
    print(`  ✗ ${shown}\n${describeError(e).replace(/^/gm, '      ')}`);
  };
  for (const s of suites) {
    const full = (t: Test) => (s.name ? `${s.name} › ${t.name}` : t.name);
    const selected = s.tests.filter((t) => (!anyOnly || t.only) && (!grep || full(t).includes(grep)));
    if (selected.length === 0) continue;
    if (s.name) print(`${s.name}`);
    let hooksOk = true;
    for (const h of s.before) {
      try {
        await withTimeout(h.fn, h.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, 'before hook');
      } catch (e) {
        hooksOk = false;
        fail(`${s.name || '(root)'} › before hook`, e);
        break;
      }
    }
    for (const t of selected) {
      if (t.skip || !hooksOk) {
        sum.skipped++;
        print(`  - ${t.name} (skipped)`);
        continue;
      }
      const start = Date.now();
      let error: unknown;
      try {
        for (const h of s.beforeEach) await withTimeout(h.fn, h.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, 'beforeEach hook');
        await withTimeout(t.fn, t.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, 'test');
      } catch (e) {
        error = e;
      }
      for (const h of s.afterEach) {
        await withTimeout(h.fn, h.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, 'afterEach hook').catch((e) => (error ??= e));
      }
      if (error === undefined) {
        sum.passed++;
        print(`  ✓ ${t.name} (${Date.now() - start} ms)`);
      } else {
        fail(full(t), error, t.name);
      }
    }
    for (const h of s.after) {
      try {
        await withTimeout(h.fn, h.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS, 'after hook');
      } catch (e) {
        fail(`${s.name || '(root)'} › after hook`, e);
      }
    }
  }
  sum.ms = Date.now() - t0;
  if (sum.failures.length) print(`\nFailures:\n${sum.failures.map((f) => `  - ${f}`).join('\n')}`);
  const skipped = sum.skipped ? `, ${sum.skipped} skipped` : '';
  print(`${sum.passed} passed, ${sum.failed} failed${skipped} (${(sum.ms / 1000).toFixed(1)}s)`);
  return sum;
}
