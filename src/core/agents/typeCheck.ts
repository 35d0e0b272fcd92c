// Pre-run type check: a warm TypeScript LanguageService over the generated stubs (in memory) plus the
// script as a virtual file, wrapped like the sandbox wraps it. Diagnostics carry 1-based lines and
// columns of the user's script; TypeScript is loaded lazily on the first check.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as TS from 'typescript';
import { normalizeSource, WRAP_PREFIX } from '../sandbox/source';
import { isBlockingCode, SCRIPT_COMPILER_OPTIONS } from '../stubs/scriptCompilerOptions';

export interface DeclarationFile {
  /** Path relative to the stubs root, e.g. `tools.d.ts`. */
  path: string;
  content: string;
}

export interface TypeDiagnostic {
  /** 1-based line in the user's script. */
  line: number;
  /** 1-based column in the user's script. */
  column: number;
  message: string;
  /** TypeScript error code (e.g. 2339). */
  code: number;
}

export interface TypeCheckOptions {
  /** 'js' checks with TypeScript's JavaScript rules (checkJs); default 'ts'. */
  language?: 'ts' | 'js';
}

export interface TypeChecker {
  /** Diagnostics for the script (errors only, implicit-any excluded), ordered by position. Empty = type-checks. */
  check(source: string, opts?: TypeCheckOptions): Promise<TypeDiagnostic[]>;
  /** Loads TypeScript and builds the program once, so the first real check is warm. */
  warm(): Promise<void>;
  dispose(): void;
}

export interface CreateTypeCheckerOptions {
  /** The stub declarations to check against; called before each check (cheap when unchanged). */
  declarations: () => DeclarationFile[];
  /** Folder holding TypeScript's `lib.*.d.ts`; found automatically (dist/ts-lib or node_modules). */
  libDir?: string;
}

/**
 * The sandbox's wrapper (src/core/sandbox/source.ts: an async function body, so top-level await and
 * `return` work). The prefix shares line 1 with the script, so line numbers stay the user's.
 */
export const SCRIPT_PREFIX = WRAP_PREFIX;
export const SCRIPT_SUFFIX = '\n});\n';

/** Globals the sandbox provides that the stubs do not declare (added only when missing). */
const SANDBOX_GLOBALS = `interface Console {
  log(...data: unknown[]): void; info(...data: unknown[]): void; warn(...data: unknown[]): void;
  error(...data: unknown[]): void; debug(...data: unknown[]): void;
}
declare var console: Console;
declare function setTimeout(handler: () => void, ms?: number): number;
declare function clearTimeout(id: number | undefined): void;
`;

const ROOT = '/toolweaver/';
const SCRIPT_TS = `${ROOT}__script__.ts`;
const SCRIPT_JS = `${ROOT}__script__.js`;
const GLOBALS = `${ROOT}__sandbox_globals__.d.ts`;
const LIB_ROOT = 'es2022';

let tsModule: Promise<typeof TS> | undefined;
function loadTs(): Promise<typeof TS> {
  // Lazy: the compiler is ~9 MB of JS; importing it only on the first check keeps startup fast.
  tsModule ??= import('typescript').then((m) => ((m as { default?: typeof TS }).default ?? m) as typeof TS);
  return tsModule;
}

const libText = new Map<string, string | undefined>();
let sharedRegistry: TS.DocumentRegistry | undefined;

function findLibDir(ts: typeof TS, explicit?: string): string {
  const candidates = [
    explicit,
    // Bundled: esbuild.mjs copies the lib files next to the bundle.
    path.join(path.dirname(ts.sys.getExecutingFilePath()), 'ts-lib'),
    typeof __dirname === 'string' ? path.join(__dirname, 'ts-lib') : undefined,
    path.dirname(ts.getDefaultLibFilePath({})),
  ];
  for (const dir of candidates) if (dir && existsSync(path.join(dir, 'lib.es5.d.ts'))) return dir;
  throw new Error(`TypeScript's lib files (lib.es5.d.ts) were not found in ${candidates.filter(Boolean).join(', ')}.`);
}

/** Creates a type checker; nothing is loaded until the first `check` or `warm`. */
export function createTypeChecker(opts: CreateTypeCheckerOptions): TypeChecker {
  let service: TS.LanguageService | undefined;
  let ts: typeof TS | undefined;
  let libDir = '';
  const files = new Map<string, { version: number; text: string }>();
  let declPaths: string[] = [];
  let lastDecls: DeclarationFile[] | undefined;
  let disposed = false;

  function setFile(name: string, text: string): void {
    const prev = files.get(name);
    if (prev && prev.text === text) return;
    files.set(name, { version: (prev?.version ?? 0) + 1, text });
  }

  function syncDeclarations(): void {
    const decls = opts.declarations();
    if (decls === lastDecls) return;
    lastDecls = decls;
    const next = decls.filter((d) => d.path.endsWith('.ts')).map((d) => ROOT + 'stubs/' + d.path.replace(/^\.?\/+/, ''));
    for (const old of declPaths) if (!next.includes(old)) files.delete(old);
    decls.forEach((d, i) => {
      const p = next[i];
      if (d.path.endsWith('.ts') && p) setFile(p, d.content);
    });
    declPaths = next;
    const declaresConsole = decls.some((d) => /declare\s+(var|const|let)\s+console\b/.test(d.content));
    setFile(GLOBALS, declaresConsole ? 'export {};\n' : SANDBOX_GLOBALS);
  }

  async function ensure(): Promise<{ ts: typeof TS; service: TS.LanguageService }> {
    if (disposed) throw new Error('The type checker was disposed.');
    ts ??= await loadTs();
    const t = ts;
    if (service) return { ts: t, service };
    libDir = findLibDir(t, opts.libDir);
    sharedRegistry ??= t.createDocumentRegistry(true, '/');
    setFile(SCRIPT_TS, SCRIPT_PREFIX + SCRIPT_SUFFIX);
    setFile(SCRIPT_JS, SCRIPT_PREFIX + SCRIPT_SUFFIX);
    // The same options the editor's tsconfig.json files carry (stubs/scriptCompilerOptions.ts).
    const converted = t.convertCompilerOptionsFromJson(SCRIPT_COMPILER_OPTIONS, ROOT);
    if (converted.errors.length) throw new Error(`The script compiler options are invalid: ${t.flattenDiagnosticMessageText(converted.errors[0]!.messageText, ' ')}`);
    const options: TS.CompilerOptions = { ...converted.options, lib: [`lib.${LIB_ROOT}.d.ts`], isolatedModules: false };
    const readLib = (fileName: string): string | undefined => {
      if (!libText.has(fileName)) {
        const p = fileName.startsWith(libDir) ? fileName : path.join(libDir, path.basename(fileName));
        libText.set(fileName, existsSync(p) ? readFileSync(p, 'utf8') : undefined);
      }
      return libText.get(fileName);
    };
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [...declPaths, GLOBALS, SCRIPT_TS, SCRIPT_JS],
      getScriptVersion: (f) => String(files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const mem = files.get(f);
        if (mem) return t.ScriptSnapshot.fromString(mem.text);
        const lib = readLib(f);
        return lib === undefined ? undefined : t.ScriptSnapshot.fromString(lib);
      },
      getCurrentDirectory: () => ROOT,
      getDefaultLibFileName: (o) => path.join(libDir, t.getDefaultLibFileName(o)),
      fileExists: (f) => files.has(f) || readLib(f) !== undefined,
      readFile: (f) => files.get(f)?.text ?? readLib(f),
      directoryExists: (d) => d.startsWith(ROOT) || d.startsWith(libDir),
      getDirectories: () => [],
    };
    service = t.createLanguageService(host, sharedRegistry);
    return { ts: t, service };
  }

  async function check(input: string, o: TypeCheckOptions = {}): Promise<TypeDiagnostic[]> {
    const { ts: t, service: svc } = await ensure();
    syncDeclarations();
    const isJs = o.language === 'js';
    const active = isJs ? SCRIPT_JS : SCRIPT_TS;
    // Same normalization as the sandbox (BOM, code fences), so lines match what runs.
    const source = normalizeSource(input);
    const text = SCRIPT_PREFIX + source + SCRIPT_SUFFIX;
    setFile(active, text);
    setFile(isJs ? SCRIPT_TS : SCRIPT_JS, SCRIPT_PREFIX + SCRIPT_SUFFIX);
    const diags = [...svc.getSyntacticDiagnostics(active), ...svc.getSemanticDiagnostics(active)];
    const program = svc.getProgram();
    const sf = program?.getSourceFile(active);
    const lastLine = source.split('\n').length;
    const out: TypeDiagnostic[] = [];
    for (const d of diags) {
      // Implicit any is a style note for a script, not a reason to refuse it (scriptCompilerOptions.ts).
      if (d.category !== t.DiagnosticCategory.Error || !isBlockingCode(d.code)) continue;
      let line = 1;
      let column = 1;
      if (sf && d.start !== undefined) {
        const pos = sf.getLineAndCharacterOfPosition(d.start);
        line = pos.line + 1;
        column = pos.character + 1 - (pos.line === 0 ? SCRIPT_PREFIX.length : 0);
        if (column < 1) column = 1;
        if (line > lastLine) {
          line = lastLine;
          column = (source.split('\n')[lastLine - 1]?.length ?? 0) + 1;
        }
      }
      out.push({ line, column, message: t.flattenDiagnosticMessageText(d.messageText, '\n'), code: d.code });
    }
    out.sort((a, b) => a.line - b.line || a.column - b.column);
    return out;
  }

  return {
    check,
    async warm() {
      await check('');
    },
    dispose() {
      disposed = true;
      service?.dispose();
      service = undefined;
      files.clear();
    },
  };
}

/** Diagnostics as text a model or user can act on: one `line L, col C: message (TSnnnn)` per line. */
export function formatDiagnostics(diags: TypeDiagnostic[], max = 20): string {
  const lines = diags.slice(0, max).map((d) => `line ${d.line}, col ${d.column}: ${d.message} (TS${d.code})`);
  if (diags.length > max) lines.push(`… and ${diags.length - max} more.`);
  return lines.join('\n');
}
