// The helpers bundle as the sandbox will use them: one minified ES2022 IIFE, small, and working
// inside real QuickJS (sync release build) over a guest-side FlowRuntime.
import * as esbuild from 'esbuild';
import { getQuickJS } from 'quickjs-emscripten';
import { describe, expect, it } from 'vitest';

const MAX_MINIFIED_BYTES = 15 * 1024;

async function bundle(): Promise<string> {
  const out = await esbuild.build({
    stdin: {
      contents: "export { createFlowHelpers } from './src/core/flow/helpers';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    globalName: 'Flow',
    target: 'es2022',
    platform: 'neutral',
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

// A guest runtime: virtual clock advanced by sleep (no timers exist in the guest), spans recorded.
const GUEST = `
let now = 0, ids = 0, cur = [];
const spans = [];
const rt = {
  sleep: (ms) => { now += ms; return Promise.resolve(); },
  now: () => now,
  random: () => 0.5,
  isCancelled: () => false,
  startSpan(helper, attrs) {
    const s = { id: 's' + ++ids, helper, attrs, parent: cur[cur.length - 1] };
    spans.push(s);
    return { id: s.id, enter(fn) { cur.push(s.id); try { return fn(); } finally { cur.pop(); } }, end(ok) { s.ok = ok; } };
  },
};
const { retry, map, dag, pipe, fallback, timeout, poll, batch, parallel, race, sleep } = Flow.createFlowHelpers(rt);
globalThis.result = (async () => {
  let n = 0;
  const r = await retry(() => { if (++n < 3) throw Object.assign(new Error('flaky'), { code: 'tool_failed' }); return n; });
  const m = await map([1, 2, 3], async (x) => x * 2, { concurrency: 2 });
  const d = await dag({ a: () => 1, b: { deps: ['a'], run: ({ a }) => a + 1 } });
  const p = await pipe(1, (x) => x + 1, (x) => [x]);
  const f = await fallback(() => { throw new Error('no'); }, () => 'yes');
  const t = await timeout(() => 't', 100);
  const pl = await poll((i) => i >= 2, { intervalMs: 10 });
  const b = await batch([1, 2, 3], 2, (c) => c.length);
  const pa = await parallel([() => 1, () => 2]);
  const ra = await race(() => 'r');
  await sleep(5);
  let cyc;
  try { await dag({ a: { deps: ['b'], run() {} }, b: { deps: ['a'], run() {} } }); } catch (e) { cyc = [e.name, e.code, e.message]; }
  let agg;
  try { await fallback(() => { throw new Error('x'); }); } catch (e) { agg = [e.name, e.code, e.errors.length]; }
  return JSON.stringify({ r, m, d, p, f, t, pl, b, pa, ra, cyc, agg, spans: spans.length, now });
})();
`;

describe('flow helpers in QuickJS', () => {
  it(`bundle to a minified IIFE under ${MAX_MINIFIED_BYTES} bytes`, async () => {
    const code = await bundle();
    expect(code.length).toBeGreaterThan(1000);
    expect(code.length).toBeLessThan(MAX_MINIFIED_BYTES);
    expect(code).not.toMatch(/\brequire\(|\bimport\(|Date\.now|Math\.random|setTimeout/);
  });

  it('run inside the QuickJS guest', async () => {
    const code = await bundle();
    const vm = (await getQuickJS()).newContext();
    try {
      vm.unwrapResult(vm.evalCode(code + GUEST)).dispose();
      vm.runtime.executePendingJobs();
      const state = vm.getProp(vm.global, 'result').consume((h) => vm.getPromiseState(h));
      if (state.type !== 'fulfilled') {
        const why = state.type === 'rejected' ? state.error.consume((h) => vm.dump(h)) : 'pending';
        throw new Error(`guest script did not fulfil: ${JSON.stringify(why)}`);
      }
      const text = state.value.consume((h) => vm.getString(h));
      expect(JSON.parse(text)).toEqual({
        r: 3,
        m: [2, 4, 6],
        d: { a: 1, b: 2 },
        p: [2],
        f: 'yes',
        t: 't',
        pl: true,
        b: [2, 1],
        pa: [1, 2],
        ra: 'r',
        cyc: ['DagCycleError', 'dag_cycle', 'dag: dependency cycle a -> b -> a. Remove one of these dependencies.'],
        agg: ['AggregateError', 'all_failed', 1],
        spans: expect.any(Number),
        now: 150 + 300 + 100 + 10 + 5, // retry delays (jitter 0.5·0.5) + timeout's timer + poll + sleep
      });
    } finally {
      vm.dispose();
    }
  });
});
