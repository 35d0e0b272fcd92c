// The run report the CLI prints: a report that cannot be printed as JSON still prints one JSON
// object, whose error comes from the run-error factory (its name follows from its code).
import { describe, expect, it } from 'vitest';
import { printRunReport } from '../../../src/cli/commands/run';
import type { CliIo } from '../../../src/cli/command';
import { RUN_ERROR_NAMES } from '../../../src/core/sandbox/runErrors';

function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => void lines.push(t), err: () => undefined, cwd: process.cwd(), env: {} };
}

describe('printRunReport --json', () => {
  it('prints a not_serializable error named by its code when the report holds a value JSON cannot hold', () => {
    const io = capture();
    const stats = { durationMs: 1, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 };
    printRunReport({ result: { ok: true, value: 1, logs: [], stats }, extra: { big: 10n } }, io, true);
    expect(io.lines).toHaveLength(1);
    const printed = JSON.parse(io.lines[0]!) as { ok: boolean; error: { name: string; code: string; message: string } };
    expect(printed.ok).toBe(false);
    expect(printed.error.code).toBe('not_serializable');
    expect(printed.error.name).toBe(RUN_ERROR_NAMES.not_serializable);
    expect(printed.error.message).toMatch(/cannot be printed as JSON: TypeError: .*BigInt/);
  });
});
