// The CLI's flags: node:util parseArgs underneath, with every mistake a UsageError that says what to do.
import { describe, expect, it } from 'vitest';
import { parseArgs, type FlagSpec } from '../../../src/cli/args';
import { UsageError } from '../../../src/core/errors';

const spec: FlagSpec = {
  json: { kind: 'boolean', help: '' },
  config: { kind: 'string', help: '' },
  'timeout-ms': { kind: 'number', help: '' },
  allow: { kind: 'list', help: '' },
};

function usage(argv: string[]): string {
  try {
    parseArgs(argv, spec);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('reads positionals, booleans, strings, numbers and repeated lists, with = or a separate value', () => {
    expect(parseArgs(['run', 'a.ts', '--json', '--config', 'm.json', '--timeout-ms=250', '--allow', 'a/*', '--allow=b/x'], spec)).toEqual({
      positionals: ['run', 'a.ts'],
      flags: { json: true, config: 'm.json', 'timeout-ms': 250, allow: ['a/*', 'b/x'] },
    });
  });
  it('everything after -- is positional', () => {
    expect(parseArgs(['--', '--json', 'x'], spec)).toEqual({ positionals: ['--json', 'x'], flags: {} });
  });
  it('refuses what it does not know, with a sentence a user can act on', () => {
    expect(usage(['--jsn'])).toBe('Unknown option --jsn. Run with --help to see the options.');
    expect(usage(['-j'])).toBe('Unknown option -j. Run with --help to see the options.');
    expect(usage(['--json=yes'])).toBe('Option --json takes no value.');
    expect(usage(['--config'])).toBe('Option --config needs a value.');
    expect(usage(['--timeout-ms', 'soon'])).toBe('Option --timeout-ms needs a positive number, not "soon".');
    expect(usage(['--timeout-ms=0'])).toBe('Option --timeout-ms needs a positive number, not "0".');
  });
});
