// `npm test`: everything CI checks, in order, stopping at the first failure.
// build -> typecheck -> lint -> vitest (unit + integration) -> e2e in a real VS Code.
// Ends with one plain line, `total: N passed, N failed`, counting vitest's and the e2e suites' tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const VITEST_JSON = 'test-results/vitest.json';
mkdirSync('test-results', { recursive: true });

const steps = [
  { name: 'build', cmd: ['node', 'esbuild.mjs'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', '.'] },
  { name: 'lint', cmd: ['npx', 'eslint', 'src', 'test', 'bench'] },
  {
    name: 'unit + integration',
    cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
    env: { TOOLWEAVER_SKIP_BUILD: '1' },
    count: () => {
      const r = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
      return { passed: r.numPassedTests, failed: r.numFailedTests };
    },
  },
];
if (existsSync('test/e2e/run.mjs') && process.env.TOOLWEAVER_SKIP_E2E !== '1') {
  steps.push({ name: 'e2e (real VS Code)', cmd: ['node', 'test/e2e/run.mjs'], scan: /^\[e2e\] (?:PASS|FAIL) [^:]+:.*?(\d+) passed, (\d+) failed/ });
}

/** Runs a step with its output passed through; returns its exit code and the lines `scan` matched. */
function runStep({ cmd: [bin, ...args], env, scan }) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['inherit', scan ? 'pipe' : 'inherit', 'inherit'], env: { ...process.env, ...env } });
    const counts = { passed: 0, failed: 0 };
    let rest = '';
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = scan.exec(line);
        if (m) {
          counts.passed += Number(m[1]);
          counts.failed += Number(m[2]);
        }
      }
    });
    child.on('close', (code, signal) => resolve({ code: code ?? signal, counts }));
  });
}

const total = { passed: 0, failed: 0 };
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const { code, counts } = await runStep(step);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const c = step.count ? (() => { try { return step.count(); } catch { return undefined; } })() : step.scan ? counts : undefined;
  if (c) {
    total.passed += c.passed;
    total.failed += c.failed;
  }
  if (code !== 0) {
    console.error(`\n=== ${step.name} FAILED (exit ${code}) after ${secs}s`);
    console.log(`total: ${total.passed} passed, ${Math.max(total.failed, 1)} failed`);
    process.exit(1);
  }
  console.log(`=== ${step.name} ok (${secs}s)`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed`);
