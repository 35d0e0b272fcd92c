// extensionTestsPath entry for the extension host (code-server via run.mjs, or desktop VS Code via
// runElectron.mjs): runs every registered test/e2e/suite/**/*.test.ts and rejects on any failure,
// which VS Code turns into a non-zero exit code. The bundle's entry imports the test files first.
import { runRegistered } from '../runner';

/** Called by VS Code's extension-test mechanism once the development extension is loaded. */
export async function run(): Promise<void> {
  console.log('ToolWeaver e2e: extension-host suite');
  const sum = await runRegistered((line) => console.log(line));
  if (sum.failed > 0) throw new Error(`${sum.failed} extension test(s) failed`);
  if (sum.passed === 0 && !process.env.TOOLWEAVER_E2E_GREP) throw new Error('no extension tests ran');
}
