// `node dist/bench.js firewall`: the privacy firewall's cost on 1 MiB of typical JSON (the redact
// suite's records, 1 in 10 with an email): a fresh vault (every email gets a new placeholder), the
// same vault again (every value known), restoring placeholders in arguments, and plain redaction.
import { createPrivacyVault } from '../src/core/firewall/vault';
import { createRedactor } from '../src/core/redact/redactor';
import { time, typicalJson } from './redact';

const MIB = 1024 * 1024;

export async function run(): Promise<void> {
  const value = typicalJson(MIB);
  const secrets = { values: ['configured-secret-value-1'], named: [{ name: 'API_KEY', value: 'configured-secret-value-1' }] };
  const warm = createPrivacyVault();
  const seen = warm.toModel(value, { secrets });
  const args = { to: [...seen.placeholders.keys()].slice(0, 200), body: `Dear ${[...seen.placeholders.keys()].slice(0, 50).join(', ')}, …` };
  const r = createRedactor({ secrets: secrets.values });
  const rows: [string, number][] = [
    ['1 MiB typical JSON, redactValue (baseline)', time(() => r.redactValue(value), 7)],
    ['1 MiB typical JSON, toModel, fresh vault', time(() => createPrivacyVault().toModel(value, { secrets }), 7)],
    ['1 MiB typical JSON, toModel, values known', time(() => warm.toModel(value, { secrets }), 7)],
    ['fromModel, 250 placeholders in arguments', time(() => warm.fromModel(args), 21)],
  ];
  console.log(`\nPrivacy firewall (median CPU ms per call, this machine; ${seen.placeholders.size} distinct values withheld)`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(46)} ${ms.toFixed(2).padStart(8)} ms`);
  await Promise.resolve();
}
