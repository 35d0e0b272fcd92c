// `npm run bench:tokencount`: what the token account costs for 1 KiB–20 MiB of normal JSON, of one
// repeated character, of random base64 (and of CJK prose): the budgeted count a finished run gets
// (countBounded, as executeRun calls it), the full exact count, and gpt-tokenizer's own countTokens
// where it finishes in reasonable time (its merge is quadratic in one unbroken run).
import { randomBytes } from 'node:crypto';
import * as o200k from 'gpt-tokenizer/encoding/o200k_base';
import { countBounded } from '../src/core/tokens/boundedCount';
import { loadDefaultTokenizer, type Tokenizer } from '../src/core/tokens/tokenizer';

const KIB = 1024;
const MIB = 1024 * KIB;
const SIZES = [KIB, 16 * KIB, 256 * KIB, MIB, 4 * MIB, 20 * MIB];
/** Largest input gpt-tokenizer is timed on, per kind (beyond it one run takes minutes). */
const LIBRARY_MAX: Record<string, number> = { json: MIB, repeated: 16 * KIB, base64: 256 * KIB, cjk: 256 * KIB };

function json(size: number): string {
  const rows: string[] = [];
  let n = 2;
  for (let i = 0; n < size; i++) {
    const row = JSON.stringify({ id: i, name: `Customer ${i}`, email: `customer${i}@example.com`, plan: ['free', 'pro', 'team'][i % 3], mrr: (i * 37) % 900, tags: ['alpha', 'beta'], createdAt: `2026-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`, note: 'Renewal due; asked about SSO and the audit log export.' });
    rows.push(row);
    n += row.length + 1;
  }
  return `[${rows.join(',')}]`.slice(0, size);
}

function cjk(size: number): string {
  const base = '这是一个关于工具调用的测试句子，我们需要计算它的令牌数量。日本語の文章も少し混ぜておきます。';
  return base.repeat(Math.ceil(size / base.length)).slice(0, size);
}

const KINDS: [string, (size: number) => string][] = [
  ['json', json],
  ['repeated', (size) => 'A'.repeat(size)],
  ['base64', (size) => randomBytes(Math.ceil((size * 3) / 4)).toString('base64').slice(0, size)],
  ['cjk', cjk],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function timeIt(reps: number, f: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function timeAsync(reps: number, f: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const size = (n: number) => (n >= MIB ? `${n / MIB} MiB` : `${n / KIB} KiB`);
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));

/** Runs the suite and prints the table. */
export async function run(): Promise<void> {
  const t0 = performance.now();
  const tk: Tokenizer = await loadDefaultTokenizer();
  const loadMs = performance.now() - t0;
  const plain = { disallowedSpecial: new Set<string>() };
  console.log(`\nToken counting cost — ${tk.name}; tokenizer load ${ms(loadMs)} ms; median of 5 runs (3 from 4 MiB)\n`);
  const header = ['text', 'size', 'account ms', 'ms/MiB', 'estimated', 'tokens', 'exact count ms', 'ms/MiB', 'gpt-tokenizer ms', 'ms/MiB'];
  const rows = [header, header.map(() => '---')];
  for (const [kind, make] of KINDS) {
    for (const n of SIZES) {
      const text = make(n);
      const reps = n >= 4 * MIB ? 3 : 5;
      let last = await countBounded(tk, [{ text }]);
      const account = await timeAsync(reps, async () => (last = await countBounded(tk, [{ text }])));
      let exactTokens = 0;
      const exact = n <= 4 * MIB ? timeIt(reps, () => (exactTokens = tk.count(text))) : NaN;
      let libTokens = 0;
      const lib = n <= (LIBRARY_MAX[kind] ?? 0) ? timeIt(Math.min(reps, 3), () => (libTokens = o200k.countTokens(text, plain))) : NaN;
      if (!Number.isNaN(lib) && kind !== 'repeated' && libTokens !== exactTokens) console.log(`MISMATCH ${kind} ${size(n)}: ours ${exactTokens}, gpt-tokenizer ${libTokens}`);
      const perMib = (x: number) => (Number.isNaN(x) ? '—' : ms((x * MIB) / n));
      rows.push([
        kind,
        size(n),
        ms(account),
        perMib(account),
        last.estimatedChars === 0 ? 'exact' : `${((100 * last.estimatedChars) / n).toFixed(0)} %`,
        (last.counts[0] ?? 0).toLocaleString('en-US'),
        Number.isNaN(exact) ? '—' : ms(exact),
        perMib(exact),
        Number.isNaN(lib) ? '—' : ms(lib),
        perMib(lib),
      ]);
    }
  }
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('\naccount = countBounded with the default budget (50 ms + 40 ms/MiB, at most 2 s; the first 256 Ki chars always exact); estimated = share of the text estimated from the counted part. exact count = the full count, no budget (runs over 1,024 chars in chunks). gpt-tokenizer = its countTokens, only where one run takes under a minute.');
}
