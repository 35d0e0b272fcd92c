// What TypeScript already knows about the tools in a script: the servers and tools of the stubs'
// manifest.json, and whether a script sees the stubs at all. The editor's completion and hover use
// it to add only what TypeScript lacks, so every server and tool is offered once.

/** Server ident → the idents of its tools that have a stub. */
export type StubCoverage = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The coverage in a stubs `manifest.json` (src/core/stubs/renderStubs.ts writes it). Malformed text or
 * entries are skipped: an empty map means "TypeScript knows nothing", which only makes us offer more.
 */
export function parseStubManifest(text: string): StubCoverage {
  const out = new Map<string, Set<string>>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return out;
  }
  const servers = (parsed as { servers?: unknown }).servers;
  if (!Array.isArray(servers)) return out;
  for (const s of servers as unknown[]) {
    const ident = (s as { ident?: unknown }).ident;
    const tools = (s as { tools?: unknown }).tools;
    if (typeof ident !== 'string' || !Array.isArray(tools)) continue;
    const set = new Set<string>();
    for (const t of tools as unknown[]) {
      const ti = (t as { ident?: unknown }).ident;
      if (typeof ti === 'string') set.add(ti);
    }
    out.set(ident, set);
  }
  return out;
}

const REFERENCE_TO_STUBS = /^\s*\/\/\/\s*<reference\s+path\s*=\s*["'][^"']*tools\.d\.ts["']/m;

/** True when the script pulls the stubs in with `/// <reference path=".../tools.d.ts" />`. */
export function referencesStubs(text: string): boolean {
  return REFERENCE_TO_STUBS.test(text);
}

/** True when `file` is `dir` or inside it (both absolute, same separators). */
export function isInside(file: string, dir: string, sep = '/'): boolean {
  const base = dir.endsWith(sep) ? dir : dir + sep;
  return file === dir || file.startsWith(base);
}
