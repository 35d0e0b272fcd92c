// Builds dist/ once before the suites: integration tests use the bundled sandbox worker, the CLI
// and the demo server exactly as users get them.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.TOOLWEAVER_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
}
