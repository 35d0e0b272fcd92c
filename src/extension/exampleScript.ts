// The body of a new script: a real call to a read-only tool of the current catalog when there is
// one, so the template runs as-is.
import type { Catalog } from '../core/catalog/types';
import { toolCallText } from '../core/editing/callSnippet';

export function exampleScript(catalog: Catalog): string {
  for (const server of catalog.servers) {
    const tool = server.tools.find((t) => t.annotations?.readOnlyHint) ?? server.tools[0];
    if (!tool) continue;
    return [
      'export default async function main() {',
      `  const result = ${toolCallText(server, tool)};`,
      "  console.log('got a result');",
      '  return result;',
      '}',
    ].join('\n');
  }
  return ['export default async function main() {', "  // Type `tools.` to see your servers and their tools.", "  return 'hello';", '}'].join('\n');
}
