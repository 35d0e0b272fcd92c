// A small, strict argument parser: each command declares its flags; anything undeclared is a
// UsageError (exit 1), so typos never silently change behaviour.
import { UsageError } from '../core/errors';

export type FlagSpec = Record<string, { kind: 'string' | 'boolean' | 'number' | 'list'; help: string }>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | number | string[] | undefined>;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const def = spec[name];
    if (!def) throw new UsageError(`Unknown option --${name}. Run with --help to see the options.`);
    if (def.kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`Option --${name} takes no value.`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
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
