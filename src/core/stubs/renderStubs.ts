// The stub tree for a catalog, laid out for progressive disclosure: manifest.json (names and one-line
// descriptions) → servers/<server>/index.ts (a server's tools) → servers/<server>/<tool>.ts (one
// tool in full), plus tools.d.ts declaring the script globals. Pure and deterministic.
import type { Catalog, CatalogServer, CatalogTool } from '../catalog/types';
import { CatalogError } from '../errors';
import { FLOW_DECLARATIONS } from '../flow/declarations';
import { firstLine, renderDoc, textLines } from './jsdoc';
import { STUB_MANIFEST_FILE, type StubManifest, type StubManifestTool } from './manifest';
import { SCRIPT_DECLARATIONS, TOOLS_DISCLOSURE_MEMBERS } from './scriptDeclarations';
import { callSignature, GENERATED_HEADER, GENERATED_MARKER, oneLine, renderToolFile, serverKind, type ToolTypeNames } from './renderToolFile';
import { claimName, pascalCase } from './typeNames';
import { scriptTsconfigOptions } from './scriptCompilerOptions';

/** One file of the stub tree; `path` is relative to the out dir and uses `/`. */
export interface GeneratedFile {
  path: string;
  content: string;
}

const CONSOLE_DECLARATIONS = `/** Console output is captured into the run's logs and its trace. */
interface Console {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
}
declare var console: Console;
`;

// Names Windows refuses as file names, whatever the extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A file stem for an identifier, unique case-insensitively (macOS and Windows folders). */
function fileStem(ident: string, usedLower: Set<string>): string {
  let stem = WINDOWS_RESERVED.test(ident) ? `${ident}_` : ident;
  for (let i = 2; usedLower.has(stem.toLowerCase()); i++) stem = `${ident}_${i}`;
  usedLower.add(stem.toLowerCase());
  return stem;
}

interface ToolPlan {
  tool: CatalogTool;
  stem: string;
  names: ToolTypeNames;
  /** Filled while rendering the tool file. */
  inputOptional?: boolean;
  warnings?: string[];
}

interface ServerPlan {
  server: CatalogServer;
  dir: string;
  interfaceName: string;
  tools: ToolPlan[];
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

// Identifiers become file names and code: a catalog file with a bad one must not escape the folder.
function checkIdent(ident: string, what: string, server: string): void {
  if (!IDENTIFIER.test(ident)) {
    throw new CatalogError('invalid_tools_list', `The ${what} identifier ${JSON.stringify(ident)} of server "${server}" is not a valid TypeScript identifier; regenerate the catalog (identifiers come from assignIdentifiers).`, { server, field: 'ident' });
  }
}

function plan(catalog: Catalog): ServerPlan[] {
  const dirs = new Set<string>();
  return catalog.servers.map((server) => {
    checkIdent(server.ident, 'server', server.name);
    for (const tool of server.tools) checkIdent(tool.ident, `tool "${tool.name}"`, server.name);
    const stems = new Set<string>(['index']);
    const typeNames = new Set<string>();
    const interfaceName = claimName(`${pascalCase(server.ident)}Tools`, typeNames);
    const tools = server.tools.map((tool) => {
      const base = pascalCase(tool.ident);
      // Claim the pair together so `XInput`/`XOutput` always share a prefix.
      let prefix = base;
      for (let i = 2; typeNames.has(`${prefix}Input`) || typeNames.has(`${prefix}Output`); i++) prefix = `${base}${i}`;
      const names = { input: claimName(`${prefix}Input`, typeNames), output: claimName(`${prefix}Output`, typeNames) };
      return { tool, stem: fileStem(tool.ident, stems), names };
    });
    return { server, dir: `servers/${fileStem(server.ident, dirs)}`, interfaceName, tools };
  });
}

function serverSummary(server: CatalogServer): string {
  const info = server.serverInfo ? ` (${oneLine(`${server.serverInfo.name} ${server.serverInfo.version}`)})` : '';
  const count = `${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`;
  const status = server.status.state === 'error' ? `; unavailable: ${oneLine(server.status.message)}` : '';
  return oneLine(`${serverKind(server)} ${JSON.stringify(server.name)}${info}, ${count}${status}`);
}

function renderIndex(sp: ServerPlan): string {
  const { server } = sp;
  let out = `${GENERATED_HEADER}\n`;
  out += `// ${serverSummary(server)}: \`tools.${server.ident}.<tool>(input)\`.\n`;
  out += `// Each tool's types and full documentation are in ./<tool>.ts.\n\n`;
  for (const t of sp.tools) out += `import type { ${t.names.input}, ${t.names.output} } from './${t.stem}';\n`;
  if (sp.tools.length > 0) out += '\n';
  for (const t of sp.tools) {
    out += `export { ${t.tool.ident}, type ${t.names.input}, type ${t.names.output} } from './${t.stem}';\n`;
  }
  if (sp.tools.length > 0) out += '\n';
  const doc = [`The tools of ${serverKind(server)} ${JSON.stringify(server.name)}, as \`tools.${server.ident}\`.`];
  const instructions = textLines(server.instructions ?? '');
  if (instructions.length > 0) doc.push('', 'Server instructions:', ...instructions);
  out += `${renderDoc(doc, '')}export interface ${sp.interfaceName} {\n`;
  for (const t of sp.tools) {
    const summary = firstLine(t.tool.description) || firstLine(t.tool.title ?? t.tool.annotations?.title);
    out += `${renderDoc(summary ? [summary] : [], '  ')}  ${t.tool.ident}${callSignature(t.names, t.inputOptional === true)};\n`;
  }
  return `${out}}\n`;
}

function renderRoot(plans: ServerPlan[]): string {
  let out = `${GENERATED_HEADER}\n`;
  out += '// The globals of a ToolWeaver script: `tools` (one namespace per MCP server), `console` and the\n';
  out += '// control-flow helpers. Scripts need no imports; each tool is documented in servers/<server>/<tool>.ts.\n\n';
  out += renderDoc(
    [
      'Every tool of the catalog, by server: `await tools.<server>.<tool>(input)`.',
      'A call resolves to the tool\'s result (typed when the tool declares an outputSchema) and',
      'rejects with an error whose `code` says why (e.g. \'tool_failed\', \'timeout\', \'denied\').',
    ],
    '',
  );
  out += 'declare const tools: {\n';
  for (const sp of plans) {
    out += `${renderDoc([`${serverSummary(sp.server)}.`], '  ')}  readonly ${sp.server.ident}: import('./${sp.dir}/index').${sp.interfaceName};\n`;
  }
  // tools.search / tools.describe unless a server's identifier takes the name (it shadows them).
  for (const name of ['search', 'describe'] as const) {
    if (!plans.some((sp) => sp.server.ident === name)) out += TOOLS_DISCLOSURE_MEMBERS[name];
  }
  out += '};\n\n';
  out += CONSOLE_DECLARATIONS;
  out += `\n${SCRIPT_DECLARATIONS}`;
  return `${out}\n${FLOW_DECLARATIONS.trimEnd()}\n`;
}

/** The manifest's value: the shape is StubManifest (stubs/manifest.ts), which every reader parses with. */
function manifestOf(catalog: Catalog, plans: ServerPlan[]): StubManifest {
  return {
    $comment: `${GENERATED_MARKER}. Regenerate with \`toolweaver stubs\`.`,
    catalogId: catalog.id,
    globals: 'tools.d.ts',
    servers: plans.map((sp) => ({
      name: sp.server.name,
      ident: sp.server.ident,
      status: sp.server.status.state,
      file: `${sp.dir}/index.ts`,
      toolCount: sp.tools.length,
      tools: sp.tools.map((t) => {
        const entry: StubManifestTool = { name: t.tool.name, ident: t.tool.ident, file: `${sp.dir}/${t.stem}.ts` };
        const description = firstLine(t.tool.description) || firstLine(t.tool.title ?? t.tool.annotations?.title);
        if (description) entry.description = description;
        if (t.tool.annotations?.readOnlyHint === true) entry.readOnly = true;
        else if (t.tool.annotations?.destructiveHint === true) entry.destructive = true;
        // Schema parts printed as `unknown` (see the comments in the tool file).
        if (t.warnings && t.warnings.length > 0) entry.schemaWarnings = t.warnings;
        return entry;
      }),
    })),
  };
}

/** manifest.json text: one line per tool, so a diff of two generations reads tool by tool. */
function renderManifest(manifest: StubManifest): string {
  const servers = manifest.servers.map(({ tools, ...head }) => {
    const lines = tools.map((t) => `        ${JSON.stringify(t)}`);
    const headText = JSON.stringify(head).slice(0, -1);
    return `    ${headText},\n      "tools": [${lines.length > 0 ? `\n${lines.join(',\n')}\n      ` : ''}]\n    }`;
  });
  return [
    '{',
    `  "$comment": ${JSON.stringify(manifest.$comment)},`,
    `  "catalogId": ${JSON.stringify(manifest.catalogId)},`,
    `  "globals": ${JSON.stringify(manifest.globals)},`,
    `  "servers": [${servers.length > 0 ? `\n${servers.join(',\n')}\n  ` : ''}]`,
    '}',
    '',
  ].join('\n');
}

const TSCONFIG = `${GENERATED_HEADER}
// Lets an editor type-check scripts in this folder against the stubs (no DOM, no Node types), with
// the options the pre-run type check uses (src/core/stubs/scriptCompilerOptions.ts).
${JSON.stringify({ compilerOptions: scriptTsconfigOptions(), include: ['tools.d.ts', '**/*.ts'] }, null, 2)}
`;

/**
 * Renders the whole stub tree for `catalog`. Files come back sorted by path, so the same catalog
 * always yields the same list, byte for byte.
 */
export function renderStubs(catalog: Catalog): GeneratedFile[] {
  const plans = plan(catalog);
  const files: GeneratedFile[] = [];
  for (const sp of plans) {
    for (const t of sp.tools) {
      const r = renderToolFile(sp.server, t.tool, t.names);
      t.inputOptional = r.inputOptional;
      t.warnings = r.warnings;
      files.push({ path: `${sp.dir}/${t.stem}.ts`, content: r.content });
    }
    files.push({ path: `${sp.dir}/index.ts`, content: renderIndex(sp) });
  }
  files.push({ path: 'tools.d.ts', content: renderRoot(plans) });
  files.push({ path: STUB_MANIFEST_FILE, content: renderManifest(manifestOf(catalog, plans)) });
  files.push({ path: 'tsconfig.json', content: TSCONFIG });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
