// Reading `toolweaver mcp` tool replies in tests: the text blocks, and the trace a run_code reply names
// on its last line ("Trace: <id>"), read from the server's trace folder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Trace } from '../../../src/core/trace/schema';

export interface Reply {
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** One tool call with a long timeout (a run_code reply waits for the run and its account). */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<Reply> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Reply;
}

export const texts = (r: Reply): string[] => r.content.map((c) => c.text);

/** The trace file the reply's last line names, from `traceDir`. */
export function traceOf(r: Reply, traceDir: string): Trace {
  const id = /^Trace: (\S+)$/.exec(texts(r).at(-1) ?? '')?.[1] ?? '';
  return JSON.parse(readFileSync(path.join(traceDir, `${id}.json`), 'utf8')) as Trace;
}
