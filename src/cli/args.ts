// A small, strict argument parser: each command declares its flags; anything undeclared is a
// UsageError (exit 1), so typos never silently change behaviour.
import { parseArgs as nodeParseArgs } from 'node:util';
import { UsageError } from '../core/errors';

export type FlagSpec = Record<string, { kind: 'string' | 'boolean' | 'number' | 'list'; help: string }>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | number | string[] | undefined>;
}

/**
 * Parses `argv` against the command's flags with node:util's parseArgs (tokens mode), then checks
 * each token against the spec so every mistake is a UsageError with a sentence a user can act on.
 */
export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [name, def] of Object.entries(spec)) options[name] = { type: def.kind === 'boolean' ? 'boolean' : 'string', multiple: def.kind === 'list' };
  const { tokens } = nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const { name } = token;
    const def = spec[name];
    if (!def || !token.rawName.startsWith('--')) throw new UsageError(`Unknown option ${token.rawName}. Run with --help to see the options.`);
    if (def.kind === 'boolean') {
      if (token.inlineValue) throw new UsageError(`Option --${name} takes no value.`);
      flags[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new UsageError(`Option --${name} needs a value.`);
    if (def.kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`Option --${name} needs a positive number, not "${value}".`);
      flags[name] = n;
    } else if (def.kind === 'list') {
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else {
      flags[name] = value;
    }
  }
  return { positionals, flags };
}

export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function num(args: ParsedArgs, name: string): number | undefined {
  const v = args.flags[name];
  return typeof v === 'number' ? v : undefined;
}

export function bool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function list(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : [];
}

export function formatFlags(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, d]) => `  --${name}${d.kind === 'boolean' ? '' : ` <${d.kind === 'list' ? 'value' : d.kind}>`}  ${d.help}`)
    .join('\n');
}
