// `--openapi NAME=SPEC`: parsed into the setting's shape; malformed or repeated names are usage errors.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args';
import { CATALOG_FLAGS, openApiFromArgs } from '../../../src/cli/commands/catalog';
import { UsageError } from '../../../src/core/errors';

const parse = (...argv: string[]) => openApiFromArgs(parseArgs(argv, CATALOG_FLAGS));

describe('--openapi', () => {
  it('collects every NAME=SPEC (a URL keeps its own = signs)', () => {
    expect(parse('--openapi', 'github=spec/gh.json', '--openapi', 'pets=http://127.0.0.1:1/o.yaml?a=b')).toEqual({ github: { spec: 'spec/gh.json' }, pets: { spec: 'http://127.0.0.1:1/o.yaml?a=b' } });
    expect(parse()).toBeUndefined();
  });
  it('refuses a pair without a name or a spec, and a name given twice', () => {
    expect(() => parse('--openapi', 'gh.json')).toThrow(UsageError);
    expect(() => parse('--openapi', 'gh=')).toThrow(/needs NAME=SPEC/);
    expect(() => parse('--openapi', 'a=x.json', '--openapi', 'a=y.json')).toThrow(/names the API "a" twice/);
  });
});
