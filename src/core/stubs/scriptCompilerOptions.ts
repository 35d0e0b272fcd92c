// The one TypeScript configuration scripts are checked with: the pre-run type check (core/agents/
// typeCheck.ts), the stubs' tsconfig.json (renderStubs.ts) and the scripts folder's tsconfig.json
// (extension/stubService.ts) all read it here, so the editor and the run gate never disagree.

/**
 * Compiler options in tsconfig.json form (strings, as `ts.convertCompilerOptionsFromJson` reads them).
 * `strict` keeps `noImplicitAny` on on purpose: without it `const out = []` is `never[]` and
 * `out.push("a")` fails (TS2345), while with it the array's type evolves, which is what models write.
 * Implicit-any complaints themselves are not errors for a script (see IMPLICIT_ANY_CODES).
 */
export const SCRIPT_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'ES2022',
  moduleResolution: 'Bundler',
  moduleDetection: 'force',
  lib: ['ES2022'],
  types: [] as string[],
  strict: true,
  useUnknownInCatchVariables: false,
  allowJs: true,
  checkJs: true,
  noEmit: true,
  skipLibCheck: true,
} as const;

/**
 * TypeScript's implicit-any diagnostics (7005–7053 family). They say a type could be written, not that
 * the script is wrong: the pre-run check never refuses a run for them.
 */
export const IMPLICIT_ANY_CODES: ReadonlySet<number> = new Set([
  7005, 7006, 7008, 7010, 7011, 7015, 7016, 7017, 7018, 7019, 7022, 7023, 7024, 7025, 7031, 7034, 7041, 7043, 7044, 7045, 7046, 7047, 7048, 7049, 7050, 7051, 7052, 7053,
]);

/** True when a TypeScript diagnostic code should stop a run (every error except implicit-any). */
export function isBlockingCode(code: number): boolean {
  return !IMPLICIT_ANY_CODES.has(code);
}

/** The `compilerOptions` object of a generated tsconfig.json (a fresh copy each call). */
export function scriptTsconfigOptions(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(SCRIPT_COMPILER_OPTIONS)) as Record<string, unknown>;
}
