// `node dist/bench.js redact`: the cost of redaction on 1 MiB of typical JSON (walked as a value
// and scanned as text), of random base64 and of one long unbroken word, per redactor call.
import { randomBytes } from 'node:crypto';
import { createRedactor } from '../src/core/redact/redactor';

const MIB = 1024 * 1024;

/** Deterministic CRM-like records (ids, names, dates, amounts, notes, some emails) to about `bytes`. */
export function typicalJson(bytes: number): unknown[] {
  const words = ['order', 'shipped', 'customer', 'asked', 'about', 'the', 'invoice', 'refund', 'delayed', 'priority', 'region', 'north'];
  const out: unknown[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const rec = {
      id: `cus_${String(i).padStart(5, '0')}`,
      name: `Customer ${i}`,
      email: i % 10 === 0 ? `user${i}@example.com` : undefined,
      createdAt: new Date(1_700_000_000_000 + i * 86_400_000).toISOString(),
      amount: Math.round(((i * 7919) % 100_000) / 3) / 10,
      tags: ['vip', 'eu', 'trial'].slice(0, i % 4),
      commit: ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(5),
      notes: Array.from({ length: 12 }, (_, j) => words[(i + j * 5) % words.length]).join(' '),
    };
    size += JSON.stringify(rec).length + 1;
    out.push(rec);
  }
  return out;
}

/** Median CPU milliseconds of `fn` over `reps` runs after one warm-up (CPU, not wall time: the
 *  machines this runs on are shared, and waiting is not cost). Used by the firewall bench too. */
export function time(fn: () => unknown, reps: number): number {
  fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    xs.push((d.user + d.system) / 1000);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] ?? NaN;
}

export async function run(): Promise<void> {
  const value = typicalJson(MIB);
  const text = JSON.stringify(value);
  const base64 = randomBytes((MIB * 3) / 4).toString('base64');
  const word = 'A'.repeat(MIB);
  const r = createRedactor({ secrets: ['configured-secret-value-1', 'another-configured-value'] });
  const rows: [string, number][] = [
    ['1 MiB typical JSON, redactValue (walk)', time(() => r.redactValue(value), 7)],
    ['1 MiB typical JSON, redactText', time(() => r.redactText(text), 7)],
    ['1 MiB random base64, redactText', time(() => r.redactText(base64), 5)],
    ['1 MiB of one repeated letter, redactText', time(() => r.redactText(word), 5)],
  ];
  console.log('\nRedaction (median CPU ms per call, this machine)');
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  await Promise.resolve();
}
