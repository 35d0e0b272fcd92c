// The stub tree: golden files for the three reference servers' real tool lists, the layout rules
// (names, collisions, untyped outputs, hints), determinism, and that everything compiles strict.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseCatalogFile } from '../../../src/core/catalog/catalogFile';
import type { Catalog, CatalogServer, CatalogTool } from '../../../src/core/catalog/types';
import { CatalogError } from '../../../src/core/errors';
import { FLOW_DECLARATIONS } from '../../../src/core/flow/declarations';
import { renderStubs, type GeneratedFile } from '../../../src/core/stubs/renderStubs';
import { compileInMemory } from '../../fixtures/stubs/compileStubs';

const FIXTURES = path.join(__dirname, '../../fixtures/stubs');
const GOLDEN = path.join(FIXTURES, 'golden');
const FLOW_PLACEHOLDER = '/* FLOW_DECLARATIONS (src/core/flow/declarations.ts) */\n';

function referenceCatalog(): Catalog {
  const raw: unknown = JSON.parse(readFileSync(path.join(FIXTURES, 'referenceServers.catalog.json'), 'utf8'));
  // A fixed id: the golden files are about rendering, not about the catalog's hash.
  return { ...parseCatalogFile(raw), id: 'golden-catalog' };
}

/** The flow helpers belong to another part; the golden tools.d.ts holds a placeholder for them. */
function forGolden(f: GeneratedFile): string {
  return f.content.replace(FLOW_DECLARATIONS.trimEnd() + '\n', FLOW_PLACEHOLDER);
}

function listGolden(dir: string, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listGolden(path.join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`],
  );
}

function byPath(files: GeneratedFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}

const SAMPLE_SCRIPT = `
const file = await tools.filesystem.read_text_file({ path: '/tmp/notes.txt', head: 10 });
const lines: number = file.content.split('\\n').length;
const graph = await tools.memory.read_graph();
for (const e of graph.entities) console.log(e.name, e.entityType, e.observations.length, lines);
const infos = await map(['a', 'b'], (p) => tools.filesystem.get_file_info({ path: p }), { concurrency: 2 });
const sum = await retry(() => tools.everything.get_sum({ a: 1, b: 2 }), { attempts: 3 });
const media = await tools.filesystem.read_media_file({ path: 'x.png' });
for (const c of media.content) {
  if (c.type === 'resource') console.log(c.resource.uri);
  else console.log(c.mimeType, infos.length, sum);
}
const weather = await tools.everything.get_structured_content({ location: 'Chicago' });
const t: number = weather.temperature;
console.log(t);
`;

describe('renderStubs', () => {
  it('matches the golden tree for the reference servers (set UPDATE_GOLDEN=1 to rewrite it)', () => {
    const files = renderStubs(referenceCatalog());
    if (process.env.UPDATE_GOLDEN === '1') {
      for (const f of files) {
        mkdirSync(path.dirname(path.join(GOLDEN, f.path)), { recursive: true });
        writeFileSync(path.join(GOLDEN, f.path), forGolden(f));
      }
    }
    expect(files.map((f) => f.path)).toEqual(listGolden(GOLDEN).sort());
    for (const f of files) expect(forGolden(f), f.path).toBe(readFileSync(path.join(GOLDEN, f.path), 'utf8'));
  });

  it('lays out one file per tool, an index per server and the root files', () => {
    const paths = renderStubs(referenceCatalog()).map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('servers/memory/'))).toEqual([
      'servers/memory/add_observations.ts',
      'servers/memory/create_entities.ts',
      'servers/memory/create_relations.ts',
      'servers/memory/delete_entities.ts',
      'servers/memory/delete_observations.ts',
      'servers/memory/delete_relations.ts',
      'servers/memory/index.ts',
      'servers/memory/open_nodes.ts',
      'servers/memory/read_graph.ts',
      'servers/memory/search_nodes.ts',
    ]);
    expect(paths.filter((p) => !p.startsWith('servers/'))).toEqual(['manifest.json', 'tools.d.ts', 'tsconfig.json']);
    expect(paths).toHaveLength(13 + 14 + 9 + 3 + 3);
  });

  it('compiles under strict with a script using tools and helpers, and rejects wrong uses', () => {
    const files = byPath(renderStubs(referenceCatalog()));
    const bad = [
      "await tools.filesystem.read_text_file({ pth: 'x' });",
      'await tools.memory.nope({});',
      "const r = await tools.filesystem.write_file({ path: 'a', content: 'b' }); r.content.toFixed();",
      "await tools.everything.get_structured_content({ location: 'Paris' });",
    ].join('\n');
    // One program for both (the compiler's lib loading dominates the time).
    const diagnostics = compileInMemory({ ...files, 'script.ts': SAMPLE_SCRIPT, 'bad.ts': bad });
    expect(diagnostics.map((d) => d.replace(/:.*$/s, ''))).toEqual(['bad.ts(1,41)', 'bad.ts(2,20)', 'bad.ts(3,85)', 'bad.ts(4,49)']);
    expect(diagnostics[0]).toContain("'pth' does not exist in type 'ReadTextFileInput'");
  });

  it('is deterministic: same catalog, byte-identical files', () => {
    const a = renderStubs(referenceCatalog());
    const b = renderStubs(structuredClone(referenceCatalog()));
    expect(b).toEqual(a);
  });

  it('puts FLOW_DECLARATIONS, console and the tools global into tools.d.ts, and a valid tsconfig', () => {
    const files = byPath(renderStubs(referenceCatalog()));
    expect(files['tools.d.ts']).toContain(FLOW_DECLARATIONS.trimEnd());
    expect(files['tools.d.ts']).toContain("readonly memory: import('./servers/memory/index').MemoryTools;");
    const config = ts.parseConfigFileTextToJson('tsconfig.json', files['tsconfig.json'] as string);
    expect(config.error).toBeUndefined();
    expect(config.config.compilerOptions).toMatchObject({ strict: true, lib: ['ES2022'], types: [] });
  });

  it('writes a compact manifest for tool search', () => {
    const manifest = JSON.parse(byPath(renderStubs(referenceCatalog()))['manifest.json'] as string);
    expect(manifest.catalogId).toBe('golden-catalog');
    expect(manifest.servers.map((s: { name: string; toolCount: number }) => [s.name, s.toolCount])).toEqual([
      ['everything', 13],
      ['filesystem', 14],
      ['memory', 9],
    ]);
    expect(manifest.servers[2].tools[3]).toEqual({
      name: 'delete_entities',
      ident: 'delete_entities',
      file: 'servers/memory/delete_entities.ts',
      description: 'Delete multiple entities and their associated relations from the knowledge graph',
      destructive: true,
    });
  });
});

function tool(name: string, ident: string, extra: Partial<CatalogTool> = {}): CatalogTool {
  return { name, ident, inputSchema: { type: 'object' }, ...extra };
}

function server(name: string, tools: CatalogTool[], extra: Partial<CatalogServer> = {}): CatalogServer {
  return { name, ident: name, source: 'mcp', status: { state: 'connected' }, tools, ...extra };
}

describe('renderStubs layout rules', () => {
  const crm = server(
    'crm',
    [
      tool('customers.search', 'customers_search', {
        title: 'Search customers',
        description: 'Finds customers by name or email.\nResults are paged; ends */ here.',
        inputSchema: {
          type: 'object',
          properties: { query: { type: 'string' }, limit: { type: 'integer', maximum: 50 } },
          required: ['query'],
        },
        outputSchema: {
          type: 'object',
          properties: { items: { type: 'array', items: { $ref: '#/$defs/Customer' } }, next: { type: ['string', 'null'] } },
          required: ['items'],
          $defs: { Customer: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
        },
        annotations: { readOnlyHint: true, openWorldHint: false },
      }),
      tool('delete', 'delete_', { annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false } }),
    ],
    { serverInfo: { name: 'crm-server', version: '1.2.0' }, instructions: 'Use search first.\nNever delete without asking.' },
  );

  it('renders a tool file: header, input/output types with their $defs, JSDoc with hints, the function', () => {
    const files = byPath(renderStubs({ id: 'c1', servers: [crm] }));
    expect(files['servers/crm/customers_search.ts']).toBe(`// Generated by ToolWeaver — do not edit. Regenerate with \`toolweaver stubs\`.
// Tool "customers.search" of MCP server "crm": \`await tools.crm.customers_search(input)\`.

/** Arguments of \`tools.crm.customers_search\`. */
export interface CustomersSearchInput {
  query: string;
  /** @maximum 50 */
  limit?: number;
}

/** Result of \`tools.crm.customers_search\` (its structuredContent). */
export interface CustomersSearchOutput {
  items: Customer[];
  next?: string | null;
}

export interface Customer {
  id: string;
}

/**
 * Search customers
 *
 * Finds customers by name or email.
 * Results are paged; ends *\\/ here.
 *
 * Hints (declared by the server): read-only, closed-world.
 */
export declare function customers_search(input: CustomersSearchInput): Promise<CustomersSearchOutput>;
`);
  });

  it('renders the server index: re-exports and the namespace type with one-line docs', () => {
    const files = byPath(renderStubs({ id: 'c1', servers: [crm] }));
    expect(files['servers/crm/index.ts']).toBe(`// Generated by ToolWeaver — do not edit. Regenerate with \`toolweaver stubs\`.
// MCP server "crm" (crm-server 1.2.0), 2 tools: \`tools.crm.<tool>(input)\`.
// Each tool's types and full documentation are in ./<tool>.ts.

import type { CustomersSearchInput, CustomersSearchOutput } from './customers_search';
import type { DeleteInput, DeleteOutput } from './delete_';

export { customers_search, type CustomersSearchInput, type CustomersSearchOutput } from './customers_search';
export { delete_, type DeleteInput, type DeleteOutput } from './delete_';

/**
 * The tools of MCP server "crm", as \`tools.crm\`.
 *
 * Server instructions:
 * Use search first.
 * Never delete without asking.
 */
export interface CrmTools {
  /** Finds customers by name or email. */
  customers_search(input: CustomersSearchInput): Promise<CustomersSearchOutput>;
  delete_(input?: DeleteInput): Promise<DeleteOutput>;
}
`);
    expect(files['servers/crm/delete_.ts']).toContain(
      '/** Hints (declared by the server): may modify its environment, destructive, not idempotent. */\nexport declare function delete_(',
    );
  });

  it('keeps file and type names unique when identifiers differ only in case', () => {
    const s = server('svc', [tool('getItem', 'getItem'), tool('GetItem', 'GetItem'), tool('get-item', 'get_item'), tool('con', 'con')]);
    const files = renderStubs({ id: 'c2', servers: [s] });
    expect(files.map((f) => f.path)).toEqual([
      'manifest.json',
      'servers/svc/GetItem_2.ts',
      'servers/svc/con_.ts',
      'servers/svc/getItem.ts',
      'servers/svc/get_item.ts',
      'servers/svc/index.ts',
      'tools.d.ts',
      'tsconfig.json',
    ]);
    const index = byPath(files)['servers/svc/index.ts'] as string;
    expect(index).toContain('  getItem(input?: GetItemInput): Promise<GetItemOutput>;\n');
    expect(index).toContain('  GetItem(input?: GetItem2Input): Promise<GetItem2Output>;\n');
    expect(index).toContain('  get_item(input?: GetItem3Input): Promise<GetItem3Output>;\n');
    expect(index).toContain("import type { ConInput, ConOutput } from './con_';\n");
    expect(compileInMemory({ ...byPath(files), 'use.ts': 'await tools.svc.GetItem({ any: 1 }); await tools.svc.con();' })).toEqual([]);
  });

  it('lists a server that failed with its error and no tools', () => {
    const down = server('down', [], { status: { state: 'error', code: 'connect_timeout', message: 'No answer\nwithin 10 s.' } });
    const files = byPath(renderStubs({ id: 'c3', servers: [down] }));
    expect(files['tools.d.ts']).toContain('  /** MCP server "down", 0 tools; unavailable: No answer within 10 s.. */\n');
    expect(files['servers/down/index.ts']).toContain('export interface DownTools {\n}\n');
    expect(JSON.parse(files['manifest.json'] as string).servers).toEqual([
      { name: 'down', ident: 'down', status: 'error', file: 'servers/down/index.ts', toolCount: 0, tools: [] },
    ]);
  });

  it('refuses identifiers that are not TypeScript identifiers (they become paths and code)', () => {
    const evil = server('x', [tool('t', '../../escape')]);
    expect(() => renderStubs({ id: 'c4', servers: [evil] })).toThrowError(CatalogError);
  });
});

describe('renderStubs manifest warnings', () => {
  it('lists the schema parts a tool file prints as unknown', () => {
    const s = server('w', [tool('odd', 'odd', { inputSchema: { type: 'object', properties: { x: { $ref: '#/nowhere' } } } })]);
    const manifest = JSON.parse(byPath(renderStubs({ id: 'c5', servers: [s] }))['manifest.json'] as string);
    expect(manifest.servers[0].tools[0].schemaWarnings).toEqual(['input #/properties/x: $ref "#/nowhere" points to nothing']);
  });
});
