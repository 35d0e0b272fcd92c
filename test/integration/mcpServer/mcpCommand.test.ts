import { describe, expect, it } from 'vitest';
import { EXIT, type CliIo } from '../../../src/cli/command';
import { runCli } from '../../../src/cli/main';

function io(): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { outText, errText, out: (t) => outText.push(t), err: (t) => errText.push(t), cwd: process.cwd(), env: {} };
}

describe('toolweaver mcp (argument handling)', () => {
  it('--ask is a usage error that says what to do instead', async () => {
    const x = io();
    expect(await runCli(['mcp', '--ask'], x)).toBe(EXIT.usage);
    expect(x.errText.join('\n')).toContain('--ask is not available for toolweaver mcp: calls that need approval are asked through the MCP client when it supports elicitation, and denied otherwise. Allow them up front with --allow GLOB');
  });

  it('rejects a bad port and stray arguments', async () => {
    const a = io();
    expect(await runCli(['mcp', '--http', 'abc'], a)).toBe(EXIT.usage);
    expect(a.errText.join('\n')).toContain('--http needs a port number between 0 and 65535');
    const b = io();
    expect(await runCli(['mcp', 'extra'], b)).toBe(EXIT.usage);
  });

  it('lists its flags in --help', async () => {
    const x = io();
    expect(await runCli(['mcp', '--help'], x)).toBe(EXIT.ok);
    const help = x.outText.join('\n');
    for (const flag of ['--config', '--catalog', '--http', '--allow', '--deny', '--allow-all', '--no-typecheck', '--trace-dir']) expect(help).toContain(flag);
  });
});
