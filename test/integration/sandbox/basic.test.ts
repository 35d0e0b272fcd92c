import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { createTestInvoker, testCatalog } from './fixtures';

const sandbox = createSandbox({ poolSize: 1 });
afterAll(() => sandbox.dispose());

describe('sandbox basics', () => {
  it('returns the value of return', async () => {
    const invoker = createTestInvoker();
    const r = await sandbox.run('const x: number = 40;\nreturn x + 2;', { catalog: testCatalog, invoker });
    expect(r).toMatchObject({ ok: true, value: 42 });
  });
  it('calls tools', async () => {
    const invoker = createTestInvoker();
    const r = await sandbox.run('const r = await tools.test.add({a: 1, b: 2});\nconsole.log("sum", r);\nreturn r;', { catalog: testCatalog, invoker });
    console.log(JSON.stringify(r));
    expect(r).toMatchObject({ ok: true, value: 3 });
  });
});
