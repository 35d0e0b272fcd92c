// Untrusted-text scanner benchmark: CPU time per MiB of scanForInjection on ordinary and hostile
// text (process CPU time, not wall clock: the machine is shared), and the false-positive count on
// the real Markdown/README files of node_modules and /usr/share/doc (an independent benign set).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { scanForInjection } from '../src/core/untrusted/scan';

const MIB = 1 << 20;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Best of `n` runs, in ms of CPU per Mi characters. */
function msPerMiB(text: string, n = 5): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = cpuMs();
    scanForInjection(text, { maxChars: text.length });
    best = Math.min(best, cpuMs() - t);
  }
  return (best * MIB) / text.length;
}

function walk(dir: string, out: string[], match: (name: string) => boolean, depth = 0): void {
  if (depth > 12) return;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, out, match, depth + 1);
    else if (st.size < 400_000 && match(name)) out.push(p);
  }
}

function readText(p: string): string | undefined {
  try {
    const buf = readFileSync(p);
    return (p.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  } catch {
    return undefined;
  }
}

const fill = (unit: string): string => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB);

export async function run(): Promise<void> {
  const files: string[] = [];
  walk('node_modules', files, (n) => /\.md$/i.test(n));
  walk('/usr/share/doc', files, (n) => /^(README|NEWS|changelog|copyright)|\.(md|txt)(\.gz)?$/i.test(n));
  files.sort();
  const texts = files.map((f) => [f, readText(f)] as const).filter((x): x is readonly [string, string] => x[1] !== undefined && !x[1].includes('\u0000'));

  let prose = '';
  for (const [, t] of texts) {
    prose += t;
    if (prose.length >= MIB) break;
  }
  prose = prose.slice(0, MIB);
  const json = JSON.stringify(Array.from({ length: 12_000 }, (_, i) => ({ id: i, name: `user ${i}`, email: `u${i}@example.com`, note: 'ignore me' }))).slice(0, MIB);
  const rows: [string, string][] = [
    ['README/doc prose', prose],
    ['JSON records', json],
    ['Japanese', fill('東京は日本の首都です。システムの設定を確認してください。')],
    ['Russian (homoglyph pass)', fill('Система перезагрузится через 5 минут, проверь GitHub. ')],
    ['emoji ZWJ sequences', fill('👨‍👩‍👧‍👦 hello 🏳️‍🌈 ❤️‍🔥 ')],
    ['base64 blob', Buffer.from(Array.from({ length: 800_000 }, (_, i) => (i * 2654435761) >>> 24)).toString('base64').slice(0, MIB)],
    ['hostile: one 1 Mi word', 'a'.repeat(MIB)],
    ['hostile: "ignore " ×150k', fill('ignore ')],
    ['hostile: zero-width run', '\u200B'.repeat(MIB)],
    ['hostile: split words', fill('a\u200Bb ')],
    ['hostile: bidi on every line', fill('abc \u202E def\n')],
    ['hostile: URLs, no spaces', fill('https://x.example/')],
    ['hostile: <system> flood', fill('<system>x y</system>')],
  ];
  console.log('\nUntrusted-text scanner: CPU ms per Mi characters (best of 5)');
  console.table(rows.map(([name, text]) => ({ input: name, 'ms/MiB': Number(msPerMiB(text).toFixed(1)) })));

  let flagged = 0;
  let chars = 0;
  const byRule: Record<string, number> = {};
  const examples: string[] = [];
  const t0 = cpuMs();
  for (const [f, t] of texts) {
    chars += t.length;
    const { findings } = scanForInjection(t);
    if (findings.length === 0) continue;
    flagged++;
    for (const r of new Set(findings.map((x) => x.rule))) byRule[r] = (byRule[r] ?? 0) + 1;
    if (examples.length < 15) examples.push(`${f}: ${findings[0]!.rule} "${findings[0]!.excerpt}"`);
  }
  console.log(
    `\nReal documents (node_modules *.md, /usr/share/doc): ${flagged} of ${texts.length} files flagged ` +
      `(${((flagged / Math.max(texts.length, 1)) * 100).toFixed(2)} %), ${(chars / MIB).toFixed(1)} Mi chars in ${(cpuMs() - t0).toFixed(0)} ms CPU`,
  );
  console.table(byRule);
  for (const e of examples) console.log(`  ${e}`);
  await Promise.resolve();
}
