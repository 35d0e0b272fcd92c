// tools/list page by page: follows nextCursor, validates every page, refuses two different tools
// with one name and an endless cursor loop. Invariant: it resolves with every tool exactly once or
// rejects with a CatalogError naming the server (and the field).
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { CatalogError, describeCause } from '../errors';
import { ToolsListPageSchema, canonicalJson, firstIssueMessage, issuePath, toWireTool, type WireTool } from './wire';

const MAX_PAGES = 1_000;
const ANY = z.unknown();

/** Lists every tool of `server` (its configured name, for messages); each page request times out after `timeoutMs`. */
export async function listAllTools(client: Client, server: string, timeoutMs: number): Promise<WireTool[]> {
  const tools: WireTool[] = [];
  const byName = new Map<string, string>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let raw: unknown;
    try {
      raw = await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, ANY, { timeout: timeoutMs });
    } catch (err) {
      throw new CatalogError('invalid_tools_list', `Server "${server}" failed to list its tools: ${describeCause(err)}.`, { server: server, cause: err });
    }
    const parsed = ToolsListPageSchema.safeParse(raw);
    if (!parsed.success) {
      const field = issuePath(parsed.error);
      throw new CatalogError('invalid_tools_list', `Server "${server}" sent an invalid tools/list reply: field "${field}" ${firstIssueMessage(parsed.error)}. This is a bug in that server; report it to its authors.`, {
        server: server,
        field,
        cause: parsed.error,
      });
    }
    for (const wire of parsed.data.tools) {
      const tool = toWireTool(wire);
      const json = canonicalJson(tool);
      const prev = byName.get(tool.name);
      if (prev === undefined) {
        byName.set(tool.name, json);
        tools.push(tool);
      } else if (prev !== json) {
        throw new CatalogError('duplicate_name', `Server "${server}" lists two different tools named "${tool.name}"; a call could reach either. Rename one of them in that server.`, {
          server: server,
          field: `tools.${tool.name}`,
        });
      } // identical repeats (e.g. a page served twice) collapse silently
    }
    cursor = parsed.data.nextCursor;
    if (cursor === undefined || cursor === '') return tools;
    if (seenCursors.has(cursor)) {
      throw new CatalogError('invalid_tools_list', `Server "${server}" repeated the tools/list cursor "${cursor}" (an endless pagination loop).`, { server: server, field: 'nextCursor' });
    }
    seenCursors.add(cursor);
  }
  throw new CatalogError('invalid_tools_list', `Server "${server}" returned more than ${MAX_PAGES} pages of tools.`, { server: server, field: 'nextCursor' });
}
