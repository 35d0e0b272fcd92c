// Stub text for agents, taken from the stubs renderer so a model sees exactly what an editor sees:
// compact signatures (search results), one tool's stub file (describe) and the in-memory declaration
// files (type check). Rendered stub trees are cached per catalog id.
import type { Catalog, CatalogServer, CatalogTool } from '../catalog/types';
import { parseStubManifest, STUB_MANIFEST_FILE } from '../stubs/manifest';
import { renderStubs, type GeneratedFile } from '../stubs/renderStubs';
import { renderToolSignature } from '../stubs/renderToolSignature';

const CACHE_SIZE = 4;
interface Tree {
  files: GeneratedFile[];
  declarations: GeneratedFile[];
  toolFiles: Map<string, string>;
}
const trees = new Map<string, Tree>();

function treeFor(catalog: Catalog): Tree {
  const hit = trees.get(catalog.id);
  if (hit) return hit;
  const files = renderStubs(catalog);
  const toolFiles = new Map<string, string>();
  const manifest = files.find((f) => f.path === STUB_MANIFEST_FILE);
  if (manifest) {
    const parsed = parseStubManifest(manifest.content, STUB_MANIFEST_FILE);
    for (const s of parsed.servers) for (const t of s.tools) toolFiles.set(`${s.name}\u0000${t.name}`, t.file);
  }
  const tree = { files, toolFiles, declarations: files.filter((f) => f.path.endsWith('.ts')) };
  trees.set(catalog.id, tree);
  if (trees.size > CACHE_SIZE) trees.delete(trees.keys().next().value as string);
  return tree;
}

/** The compact signature search results show (one-line summary comment + call). */
export function toolSignature(server: CatalogServer, tool: CatalogTool): string {
  return renderToolSignature(server, tool);
}

/** The full stub file of one tool (`servers/<server>/<tool>.ts` of the stub tree). */
export function toolStub(catalog: Catalog, server: CatalogServer, tool: CatalogTool): string {
  const tree = treeFor(catalog);
  const path = tree.toolFiles.get(`${server.name}\u0000${tool.name}`);
  const file = path ? tree.files.find((f) => f.path === path) : undefined;
  return file ? `// ${path}\n${file.content}` : renderToolSignature(server, tool);
}

/** The stub tree's TypeScript files, for the type checker (same array while the catalog id holds). */
export function stubDeclarations(catalog: Catalog): GeneratedFile[] {
  return treeFor(catalog).declarations;
}
