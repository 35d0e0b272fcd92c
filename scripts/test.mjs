// `npm test`: everything CI checks, in order, stopping at the first failure.
// build -> typecheck -> lint -> vitest (unit + integration) -> e2e in a real VS Code (when present).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['build', ['node', 'esbuild.mjs']],
  ['typecheck', ['npx', 'tsc', '--noEmit', '-p', '.']],
  ['lint', ['npx', 'eslint', 'src', 'test', 'bench']],
  ['unit + integration', ['npx', 'vitest', 'run'], { TOOLWEAVER_SKIP_BUILD: '1' }],
];
if (existsSync('test/e2e/run.mjs') && process.env.TOOLWEAVER_SKIP_E2E !== '1') {
  steps.push(['e2e (real VS Code)', ['node', 'test/e2e/run.mjs']]);
}

for (const [name, [cmd, ...args], env] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${name} FAILED (exit ${r.status ?? r.signal}) after ${secs}s`);
    process.exit(1);
  }
  console.log(`=== ${name} ok (${secs}s)`);
}
