// The body of a new script: a real call to a read-only tool (readOnlyHint) of the catalog the user
// chose, so the template runs as-is and changes nothing; otherwise a commented example, never a live
// call to a tool that might act (create a workspace, write a file, send a message).
import type { Catalog } from '../core/catalog/types';
import { toolCallText } from '../core/editing/callSnippet';

/** The `main` function a new script starts with (pure: tests call it with a catalog). */
export function exampleScript(catalog: Catalog): string {
  const usable = catalog.servers.filter((s) => s.status.state !== 'error');
  for (const server of usable) {
    const tool = server.tools.find((t) => t.annotations?.readOnlyHint === true && t.annotations.destructiveHint !== true);
    if (!tool) continue;
    return [
      'export default async function main() {',
      `  const result = ${toolCallText(server, tool)};`,
      "  console.log('got a result');",
      '  return result;',
      '}',
    ].join('\n');
  }
  const any = usable.find((s) => s.tools.length > 0);
  const call = any ? toolCallText(any, any.tools[0]!) : 'await tools.<server>.<tool>({ ... })';
  return [
    'export default async function main() {',
    '  // Type `tools.` to see your servers and their tools. For example:',
    `  // const result = ${call};`,
    "  return 'hello';",
    '}',
  ].join('\n');
}
