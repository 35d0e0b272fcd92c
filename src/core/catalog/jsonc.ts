// Reads VS Code's config files (mcp.json, .code-workspace) the way VS Code does: JSON with comments
// and trailing commas, a UTF-8 byte-order mark allowed, through Microsoft's jsonc-parser (what VS
// Code itself uses). Invariant: every key becomes an own property — `__proto__` included — so a
// server named like an Object.prototype member is kept, as JSON.parse keeps it.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** A JSONC syntax error with its 1-based line and column. */
export class JsoncSyntaxError extends Error {
  override readonly name = 'JsoncSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const BOM = '\uFEFF';

/** Parses JSONC text; throws a JsoncSyntaxError naming the first error's line and column. */
export function parseJsonc(text: string): unknown {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  } catch (err) {
    // jsonc-parser recurses per nesting level; a hostile file must not crash the host.
    if (err instanceof RangeError) throw new JsoncSyntaxError('the file is nested too deeply to read', 1, 1);
    throw err;
  }
  const first = errors[0];
  if (first) {
    const { line, column } = position(source, first.offset);
    throw new JsoncSyntaxError(`${describe(first, source)} at line ${line}, column ${column}`, line, column);
  }
  if (!tree) throw new JsoncSyntaxError('the file is empty', 1, 1);
  return valueOf(tree);
}

function describe(err: ParseError, text: string): string {
  const code = printParseErrorCode(err.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const near = text.slice(err.offset, err.offset + Math.min(err.length || 1, 20));
  return near.trim() ? `${code} ${JSON.stringify(near)}` : code;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The plain value of a parse tree node, iteratively (no recursion limit on deep files). */
function valueOf(root: Node): unknown {
  const build = (node: Node): unknown => {
    if (node.type === 'object') return {};
    if (node.type === 'array') return [];
    return node.value;
  };
  const out = build(root);
  const stack: [Node, unknown][] = [[root, out]];
  while (stack.length) {
    const [node, target] = stack.pop()!;
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) continue;
        const v = build(valueNode);
        Object.defineProperty(target, String(keyNode.value), { value: v, enumerable: true, writable: true, configurable: true });
        if (valueNode.type === 'object' || valueNode.type === 'array') stack.push([valueNode, v]);
      }
    } else if (node.type === 'array') {
      for (const item of node.children ?? []) {
        const v = build(item);
        (target as unknown[]).push(v);
        if (item.type === 'object' || item.type === 'array') stack.push([item, v]);
      }
    }
  }
  return out;
}
