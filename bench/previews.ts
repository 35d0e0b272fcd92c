// `node dist/bench.js previews`: how long a structural preview takes (1 MiB of demo records up to a
// 50 MiB string, a million items, 10,000 levels, 200,000 keys), how fast read_value pages, and what the
// model pays in o200k tokens: compact vs pretty-printed JSON, and the preview vs the old 8,000-char cut.
// Goals: 1 MiB → preview in a few ms (median, warm); every huge input well under 100 ms.
import { generateDemoData } from '../src/core/demo/data';
import { previewValue, DEFAULT_PREVIEW_CHARS } from '../src/core/preview/previewValue';
import { previewNote } from '../src/core/preview/replyText';
import { createValueStore, readValue } from '../src/core/preview/valueStore';
import { loadDefaultTokenizer } from '../src/core/tokens/tokenizer';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => unknown, runs: number): { median: number; max: number } {
  fn(); // warm the JIT
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), max: Math.max(...ms) };
}

export async function run(): Promise<void> {
  const demo = generateDemoData();
  const oneMiB = JSON.parse(JSON.stringify({ customers: demo.customers.slice(0, 1450) })) as unknown;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) deep = i % 2 ? { next: deep } : [deep];
  // JSON.parse makes flat strings, as values from the sandbox are ('x'.repeat is a rope).
  const inputs: [string, unknown, number][] = [
    ['1 MiB of customers', oneMiB, 30],
    ['50 MiB string', JSON.parse(JSON.stringify('x'.repeat(50 * 1024 * 1024))), 10],
    ['1,000,000 small objects', Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, name: `item ${i}` })), 10],
    ['10,000 levels of nesting', deep, 10],
    ['200,000 keys', Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])), 10],
  ];
  const rows: Record<string, string | number>[] = [];
  for (const [name, value, runs] of inputs) {
    const t = time(() => previewValue(value, { maxChars: DEFAULT_PREVIEW_CHARS }), runs);
    const p = previewValue(value, { maxChars: DEFAULT_PREVIEW_CHARS });
    rows.push({ input: name, 'median ms': t.median.toFixed(2), 'max ms': t.max.toFixed(2), 'preview chars': p.text.length, elisions: p.elided.length });
  }
  console.log(`\nPreviews at maxChars ${DEFAULT_PREVIEW_CHARS} (warm, ${inputs.map((i) => i[2]).join('/')} runs)`);
  console.table(rows);

  const store = createValueStore();
  store.put('r', { items: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `Customer ${i}`, score: i / 7 })) });
  const pageT = time(() => {
    let offset: number | undefined = 0;
    while (offset !== undefined) offset = readValue(store, { path: '$.items', offset }).next?.offset;
  }, 5);
  console.log(`read_value: all pages of a 10,000-item array (8,000 chars a page): median ${pageT.median.toFixed(1)} ms`);

  const tk = await loadDefaultTokenizer();
  const tokenRows: Record<string, string | number>[] = [];
  const samples: [string, unknown][] = [
    ['20 customers', demo.customers.slice(0, 20)],
    ['20 orders', demo.orders.slice(0, 20)],
    ['10 tickets', demo.tickets.slice(0, 10)],
    ['500 numbers', Array.from({ length: 500 }, (_, i) => i * 7)],
  ];
  for (const [name, v] of samples) {
    const compact = JSON.stringify(v);
    const pretty = JSON.stringify(v, null, 2);
    tokenRows.push({ value: name, 'compact chars': compact.length, 'pretty chars': pretty.length, 'compact tokens': tk.count(compact), 'pretty tokens': tk.count(pretty), 'pretty / compact': (tk.count(pretty) / tk.count(compact)).toFixed(2) });
  }
  console.log('\nCompact vs pretty-printed (2 spaces) JSON, o200k tokens');
  console.table(tokenRows);

  const big = { customers: demo.customers.slice(0, 100) };
  const oldCut = JSON.stringify(big, null, 2).slice(0, DEFAULT_PREVIEW_CHARS);
  const p = previewValue(big, { maxChars: DEFAULT_PREVIEW_CHARS });
  const note = previewNote(p, { maxChars: DEFAULT_PREVIEW_CHARS, runId: 'r' }) ?? '';
  console.log(
    `\n100 customers (${JSON.stringify(big).length.toLocaleString('en-US')} chars): old pretty cut ${tk.count(oldCut)} tokens (invalid JSON); ` +
      `preview ${tk.count(p.text)} tokens + note ${tk.count(note)} tokens, ${(JSON.parse(p.text) as { customers: unknown[] }).customers.length - 1} whole customers shown (old cut: ${(oldCut.match(/"id": "cus_/g) ?? []).length} started)`,
  );
}
