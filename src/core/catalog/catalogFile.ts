// The offline catalog file (docs/catalog-format.md): a versioned JSON snapshot of servers and tools.
// Invariant: reading validates everything with CatalogFileSchema and recomputes identifiers and the
// id (never trusting stored ones); writing is deterministic (same catalog, same bytes).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, describeCause } from '../errors';
import { buildCatalog } from './catalogId';
import type { Catalog } from './types';
import { issuePath, firstIssueMessage } from './wire';

export const CATALOG_FILE_VERSION = 1;

const JsonObject = z.record(z.string(), z.unknown());

const ToolEntrySchema = z.strictObject({
  name: z.string().min(1),
  ident: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonObject.default({ type: 'object' }),
  outputSchema: JsonObject.optional(),
  annotations: z
    .object({
      title: z.string().optional(),
      readOnlyHint: z.boolean().optional(),
      destructiveHint: z.boolean().optional(),
      idempotentHint: z.boolean().optional(),
      openWorldHint: z.boolean().optional(),
    })
    .optional(),
});

const ServerEntrySchema = z.strictObject({
  name: z.string().min(1),
  ident: z.string().optional(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).optional(),
  instructions: z.string().optional(),
  tools: z.array(ToolEntrySchema),
});

/** The catalog file: `{ "$schema"?, "version": 1, "id"?, "servers": [...] }`. */
export const CatalogFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(CATALOG_FILE_VERSION),
  id: z.string().optional(),
  servers: z.array(ServerEntrySchema),
});
export type CatalogFile = z.infer<typeof CatalogFileSchema>;

/** Reads a catalog file; every server comes back with status offline and source 'catalog-file'. */
export async function readCatalogFile(file: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(notFound ? 'config_not_found' : 'config_unreadable', `Catalog file ${file} ${notFound ? 'does not exist' : `cannot be read: ${describeCause(err)}`}. Pass an existing file with --catalog, or create one with \`toolweaver catalog --save FILE\`.`, { file, cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('catalog_file_invalid', `Catalog file ${file} is not valid JSON: ${describeCause(err)}.`, { file, cause: err });
  }
  return parseCatalogFile(raw, file);
}

/** Validates a parsed catalog file value (see readCatalogFile). */
export function parseCatalogFile(raw: unknown, file = 'the catalog file'): Catalog {
  const parsed = CatalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const field = issuePath(parsed.error);
    throw new ConfigError('catalog_file_invalid', `Invalid catalog file ${file}: field "${field}" ${firstIssueMessage(parsed.error)}. See docs/catalog-format.md.`, { file, field, cause: parsed.error });
  }
  const names = new Set<string>();
  for (const [i, s] of parsed.data.servers.entries()) {
    if (names.has(s.name)) throw new ConfigError('catalog_file_invalid', `Invalid catalog file ${file}: server name "${s.name}" appears twice (field "servers[${i}].name").`, { file, field: `servers[${i}].name` });
    names.add(s.name);
    const tools = new Set<string>();
    for (const [j, t] of s.tools.entries()) {
      if (tools.has(t.name)) throw new ConfigError('catalog_file_invalid', `Invalid catalog file ${file}: tool "${t.name}" appears twice in server "${s.name}" (field "servers[${i}].tools[${j}].name").`, { file, field: `servers[${i}].tools[${j}].name` });
      tools.add(t.name);
    }
  }
  return buildCatalog(
    parsed.data.servers.map((s) => ({
      name: s.name,
      source: 'catalog-file' as const,
      status: { state: 'offline' as const },
      ...(s.serverInfo ? { serverInfo: s.serverInfo } : {}),
      ...(s.instructions !== undefined ? { instructions: s.instructions } : {}),
      tools: s.tools.map(({ ident: _ident, ...t }) => t),
    })),
  );
}

/** The file value for a catalog (servers in error state are kept, with no tools). */
export function toCatalogFile(catalog: Catalog): CatalogFile {
  return {
    version: CATALOG_FILE_VERSION,
    id: catalog.id,
    servers: catalog.servers.map((s) => ({
      name: s.name,
      ident: s.ident,
      ...(s.serverInfo ? { serverInfo: s.serverInfo } : {}),
      ...(s.instructions !== undefined ? { instructions: s.instructions } : {}),
      tools: s.tools.map((t) => ({
        name: t.name,
        ident: t.ident,
        ...(t.title !== undefined ? { title: t.title } : {}),
        ...(t.description !== undefined ? { description: t.description } : {}),
        inputSchema: t.inputSchema,
        ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
        ...(t.annotations ? { annotations: t.annotations } : {}),
      })),
    })),
  };
}

/** Writes a catalog snapshot (pretty JSON, trailing newline), creating the folder if needed. */
export async function writeCatalogFile(file: string, catalog: Catalog): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, JSON.stringify(toCatalogFile(catalog), null, 2) + '\n', 'utf8');
}
