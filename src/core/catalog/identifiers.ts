// Maps server and tool names to valid, unique, stable TypeScript identifiers for
// `tools.<server>.<tool>`. Invariant: the result depends only on the SET of names (never on the
// order a server lists them), and the original name is always kept separately for the call.

/** Words that cannot (or must not) be used as `tools.x.<ident>` members or bindings. */
const RESERVED = new Set([
  // ECMAScript reserved words, strict-mode and TS contextual words that break declarations
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'implements', 'interface', 'let', 'package', 'private',
  'protected', 'public', 'static', 'yield', 'await', 'arguments', 'eval', 'any', 'boolean',
  'number', 'string', 'symbol', 'never', 'unknown', 'object', 'undefined', 'type', 'declare',
  'namespace', 'module',
  // Object.prototype members and `then` (which would make a tools namespace thenable)
  'constructor', 'prototype', '__proto__', 'toString', 'valueOf', 'hasOwnProperty',
  'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__',
  '__defineSetter__', '__lookupGetter__', '__lookupSetter__', 'then',
]);

const ID_START = /[\p{ID_Start}$_]/u;
const ID_PART = /[\p{ID_Continue}$_\u200c\u200d]/u;

/**
 * One name → one identifier, without regard to collisions: NFC-normalizes, turns every run of
 * characters that cannot appear in an identifier (`-`, `.`, `/`, spaces, emoji…) into one `_`
 * (dropped at the ends), prefixes `_` before a leading digit and appends `_` to reserved words.
 * Examples: `get-env` → `get_env`, `fs/read.file` → `fs_read_file`, `2fa` → `_2fa`,
 * `delete` → `delete_`, `café` → `café`, `🚀` → `_`.
 */
export function toIdentifier(name: string): string {
  const parts: string[] = [];
  let current = '';
  for (const ch of name.normalize('NFC')) {
    if (ID_PART.test(ch)) current += ch;
    else {
      if (current) parts.push(current);
      current = '';
    }
  }
  if (current) parts.push(current);
  let ident = parts.join('_');
  if (!ident) return '_';
  const first = String.fromCodePoint(ident.codePointAt(0) as number);
  if (!ID_START.test(first)) ident = `_${ident}`;
  if (RESERVED.has(ident)) ident = `${ident}_`;
  return ident;
}

/**
 * Assigns every name a unique identifier. Names whose identifier collides are resolved
 * deterministically: a name that already is its identifier keeps it, the rest (in sorted order of
 * the original names) get `_2`, `_3`… skipping any suffix another name maps to on its own.
 * Returns a Map from original name to identifier.
 */
export function assignIdentifiers(names: Iterable<string>): Map<string, string> {
  const unique = [...new Set(names)].sort(compareCodeUnits);
  const groups = new Map<string, string[]>();
  for (const name of unique) {
    const base = toIdentifier(name);
    const group = groups.get(base);
    if (group) group.push(name);
    else groups.set(base, [name]);
  }
  const taken = new Set(groups.keys());
  const result = new Map<string, string>();
  for (const base of [...groups.keys()].sort(compareCodeUnits)) {
    const members = groups.get(base) as string[];
    const exact = members.indexOf(base);
    const ordered = exact > 0 ? [base, ...members.filter((m) => m !== base)] : members;
    result.set(ordered[0] as string, base);
    let k = 2;
    for (const name of ordered.slice(1)) {
      while (taken.has(`${base}_${k}`)) k++;
      const ident = `${base}_${k}`;
      taken.add(ident);
      result.set(name, ident);
    }
  }
  return result;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
