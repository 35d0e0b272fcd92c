// Type names in generated stubs (`SearchCustomersInput`, `$defs` aliases). Invariant: within one
// file every name is unique and never shadows a global the stubs themselves use.

/** Globals the generated files refer to; a `$defs` entry must never take these names. */
export const RESERVED_TYPE_NAMES: readonly string[] = [
  'Array',
  'Boolean',
  'Console',
  'Date',
  'Error',
  'Function',
  'Number',
  'Object',
  'Promise',
  'ReadonlyArray',
  'Record',
  'String',
  'Symbol',
];

/** PascalCase from any text: `read_file` → `ReadFile`, `2fa-code` → `T2faCode`, `` → `Type`. */
export function pascalCase(text: string): string {
  const parts = text.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '');
  let out = '';
  for (const p of parts) out += (p[0] as string).toUpperCase() + p.slice(1);
  if (out === '') return 'Type';
  return /^\p{N}/u.test(out) ? `T${out}` : out;
}

/** Returns `base` or `base2`, `base3`… — the first not in `used` — and records it as used. */
export function claimName(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}
