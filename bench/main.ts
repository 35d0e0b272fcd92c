// `npm run bench`: every benchmark suite, printed as tables. Suites register here.
// `node dist/bench.js NAME` runs only the named suite.
import { run as catalog } from './catalog';
import { run as search } from './toolSearch';
import { run as stubs } from './stubs';
import { run as agents } from './agents';
import { run as tokens } from './tokens';
import { run as sandbox } from './sandbox';
import { run as replies } from './replyCap';
import { run as tokencount } from './tokenCount';
import { run as redact } from './redact';
import { run as timeouts } from './timeouts';
import { run as mcpSessions } from './mcpSessions';
import { run as untrusted } from './untrusted';
import { run as previews } from './previews';
import { run as firewall } from './firewall';
import { run as codemodecost } from './codeModeCost';
import { run as peers, firstRun as peersFirst } from './peers';
import { run as openapi } from './openapi';
import { run as replay } from './replay';

const suites: [string, () => Promise<void>][] = [
  ['catalog', catalog],
  ['search', search],
  ['stubs', stubs],
  ['agents', agents],
  ['tokens', tokens],
  ['sandbox', sandbox],
  ['replies', replies],
  ['tokencount', tokencount],
  ['redact', redact],
  ['timeouts', timeouts],
  ['mcpSessions', mcpSessions],
  ['untrusted', untrusted],
  ['previews', previews],
  ['firewall', firewall],
  ['codemodecost', codemodecost],
  ['openapi', openapi],
  ['replay', replay],
];
/** Run only by name (`npm run bench:peers`): it spawns child processes and takes a minute. */
const onDemand: [string, () => Promise<void>][] = [['peers', peers]];

async function main(): Promise<void> {
  const only = process.argv[2];
  // A child of the peers suite: time one engine's first run in this fresh process.
  if (only === 'peers-first') return peersFirst(process.argv[3] ?? 'tw');
  for (const [name, run] of suites) if (!only || only === name) await run();
  for (const [name, run] of onDemand) if (only === name) await run();
}

void main();
