import { describe, expect, it } from 'vitest';
import { dependencyLevels, groupByLevel, MAX_INDEXED_RESULT_CHARS, type WaveCall } from '../../../src/core/account/waves';

const ids = Array.from({ length: 15 }, (_, i) => `cus_${String(i + 1).padStart(4, '0')}`);
const listing = JSON.stringify({ customers: ids.map((id) => ({ id, name: `Customer ${id}` })) });

function call(name: string, startMs: number, endMs: number, args: unknown, result: unknown, failed = false): WaveCall {
  return { name, startMs, endMs, failed, args, resultText: typeof result === 'string' ? result : JSON.stringify(result) };
}

const waveCount = (calls: WaveCall[], source: string) => groupByLevel(calls, dependencyLevels(calls, source)).length;

describe('dependency waves', () => {
  const source = `const list = await tools.crm.list_customers({ region: 'emea' });\nfor (const c of list.customers) await tools.crm.get_customer({ id: c.id });`;
  const serial = [call('crm/list_customers', 0, 5, { region: 'emea' }, listing), ...ids.map((id, i) => call('crm/get_customer', 6 + i * 10, 15 + i * 10, { id }, { id, orders: 3 }))];
  const parallel = [call('crm/list_customers', 0, 5, { region: 'emea' }, listing), ...ids.map((id, i) => call('crm/get_customer', 6, 20 + i, { id }, { id, orders: 3 }))];

  it('gives a serial loop and Promise.all over the same 15 reads the same waves', () => {
    expect(dependencyLevels(serial, source)).toEqual([0, ...ids.map(() => 1)]);
    expect(dependencyLevels(parallel, source)).toEqual(dependencyLevels(serial, source));
    expect(groupByLevel(serial, dependencyLevels(serial, source)).map((w) => w.length)).toEqual([1, 15]);
  });

  it('puts independent calls whose arguments are in the source in one wave, however they were timed', () => {
    const literal = ids.map((id, i) => call('crm/get_customer', i * 10, i * 10 + 9, { id }, { id }));
    expect(waveCount(literal, ids.map((id) => `get('${id}')`).join('\n'))).toBe(1);
  });

  it('counts a chain a → b → c as three waves', () => {
    const chain = [
      call('t/a', 0, 1, { q: 'start here' }, { next: 'tok_7f3a' }),
      call('t/b', 2, 3, { token: 'tok_7f3a' }, { orderId: 918273 }),
      call('t/c', 4, 5, { orderId: 918273, note: 'order 918273 checked' }, 'ok'),
    ];
    expect(dependencyLevels(chain, `a({ q: 'start here' })`)).toEqual([0, 1, 2]);
  });

  it('does not let a call use a result that arrived after it was issued', () => {
    const overlapping = [call('t/a', 0, 10, { q: 'x1' }, { next: 'tok_7f3a' }), call('t/b', 5, 6, { token: 'tok_7f3a' }, 'ok')];
    expect(dependencyLevels(overlapping, '')).toEqual([0, 0]);
  });

  it('ignores trivial leaves (booleans, small integers, one-character strings) and words the source has', () => {
    const calls = [
      call('t/a', 0, 1, {}, { page: 2, ok: true, flag: 'y', label: 'summary of accounts' }),
      call('t/b', 2, 3, { page: 2, ok: true, flag: 'y', title: 'summary of accounts' }, 'ok'),
    ];
    expect(dependencyLevels(calls, '')).toEqual([0, 1]); // the title came from a's result
    expect(dependencyLevels(calls, "title: 'summary of accounts'")).toEqual([0, 0]);
    const small = [call('t/a', 0, 1, {}, { page: 2, ok: true, flag: 'y' }), call('t/b', 2, 3, { page: 2, ok: true, flag: 'y' }, 'ok')];
    expect(dependencyLevels(small, '')).toEqual([0, 0]);
  });

  it('finds a value inside a longer string argument and in a plain-text result', () => {
    const calls = [call('t/create', 0, 1, { title: 'bug' }, 'Created issue #4711 in repo acme/api'), call('t/comment', 2, 3, { body: 'Follow-up on issue 4711' }, 'ok')];
    expect(dependencyLevels(calls, "create({ title: 'bug' }); comment({ body: `Follow-up on issue ${n}` })")).toEqual([0, 1]);
  });

  it('makes a retry wait for the failure it retries, stable across timings (flaky-retry)', () => {
    const src = `const keys = Array.from({ length: 8 }, (_, i) => 'cus_' + String(i + 1).padStart(4, '0'));
const scores = await map(keys, (key) => retry(() => tools.demo.flaky_lookup({ key, failures: 2 })));`;
    const run = (seed: number, errorNamesKey: boolean) => {
      let rnd = seed;
      const jitter = () => ((rnd = (rnd * 48271) % 2147483647) % 7);
      const calls: WaveCall[] = [];
      ids.slice(0, 8).forEach((key) => {
        let t = jitter();
        for (let attempt = 1; attempt <= 3; attempt++) {
          const end = t + 1 + jitter();
          const failed = attempt < 3;
          calls.push(call('demo/flaky_lookup', t, end, { key, failures: 2 }, failed ? (errorNamesKey ? `Error: lookup of ${key} failed` : 'Error: upstream unavailable') : { key, tier: 'A' }, failed));
          t = end + 5 + jitter();
        }
      });
      return groupByLevel(calls, dependencyLevels(calls, src)).map((w) => w.length);
    };
    for (const seed of [1, 7, 42, 1234, 99991]) {
      expect(run(seed, true)).toEqual([8, 8, 8]);
      expect(run(seed, false)).toEqual([8, 8, 8]);
    }
  });

  it('searches a result only up to its size bound (past it a value marks no dependency: favours classic)', () => {
    const pad = 'x '.repeat(MAX_INDEXED_RESULT_CHARS / 2);
    const early = [call('t/a', 0, 1, {}, `tok_early ${pad}`), call('t/b', 2, 3, { t: 'tok_early' }, 'ok')];
    const late = [call('t/a', 0, 1, {}, `${pad} tok_late`), call('t/b', 2, 3, { t: 'tok_late' }, 'ok')];
    expect(dependencyLevels(early, '')).toEqual([0, 1]);
    expect(dependencyLevels(late, '')).toEqual([0, 0]);
  });

  it('trims sentence punctuation from words but keeps ids, paths and emails whole', () => {
    const calls = [
      call('t/a', 0, 1, {}, 'See ord_5521. Path: /srv/data/a.txt, owner ann@example.com.'),
      call('t/b', 2, 3, { id: 'ord_5521', path: '/srv/data/a.txt', who: 'ann@example.com' }, 'ok'),
      call('t/c', 2, 3, { path: '/srv/data' }, 'ok'),
    ];
    expect(dependencyLevels(calls, '')).toEqual([0, 1, 0]);
  });

  it('reads values inside JSON-escaped text (a structured result whose string holds lines)', () => {
    const listing = JSON.stringify({ content: '/srv/logs/a.log\n/srv/logs/b.log\n"/srv/logs/c.log"' });
    const calls = [call('fs/search', 0, 1, {}, listing), ...['a', 'b', 'c'].map((f, i) => call('fs/read', 2 + i, 3 + i, { path: `/srv/logs/${f}.log` }, 'x'))];
    expect(dependencyLevels(calls, "search({ path: '/srv' })")).toEqual([0, 1, 1, 1]);
    // plain text keeps backslashes inside words (Windows paths)
    const win = [call('fs/search', 0, 1, {}, 'C:\\logs\\a.log'), call('fs/read', 2, 3, { path: 'C:\\logs\\a.log' }, 'x')];
    expect(dependencyLevels(win, '')).toEqual([0, 1]);
  });

  it('has no waves for no calls', () => {
    expect(groupByLevel([], dependencyLevels([], ''))).toEqual([]);
  });
});
